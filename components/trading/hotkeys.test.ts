// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";

import { hotkeyFor, isTypingTarget, stepSize } from "@/components/trading/hotkeys";

function press(key: string, target: EventTarget | null, extra: Partial<KeyboardEventInit> = {}) {
  return hotkeyFor({ key, ctrlKey: false, metaKey: false, altKey: false, target, ...extra });
}

describe("hotkey dispatch", () => {
  it("maps keys on the page body to actions", () => {
    expect(press("b", document.body)).toBe("buyBest");
    expect(press("s", document.body)).toBe("sellBest");
    expect(press("X", document.body)).toBe("cancelAllMarket");
    expect(press("x", document.body)).toBeNull();
    expect(press("c", document.body)).toBe("recenter");
    expect(press("+", document.body)).toBe("sizeUp");
    expect(press("-", document.body)).toBe("sizeDown");
    expect(press("y", document.body)).toBe("toggleSide");
    expect(press("?", document.body)).toBe("help");
  });

  it("never fires while typing in an input, textarea, select or editable element", () => {
    const input = document.createElement("input");
    const textarea = document.createElement("textarea");
    const select = document.createElement("select");
    const editable = document.createElement("div");
    editable.setAttribute("contenteditable", "true");
    const inner = document.createElement("span");
    editable.append(inner);
    document.body.append(input, textarea, select, editable);
    for (const target of [input, textarea, select, inner]) {
      expect(isTypingTarget(target)).toBe(true);
      expect(press("b", target)).toBeNull();
      expect(press("X", target)).toBeNull();
    }
    expect(isTypingTarget(document.createElement("button"))).toBe(false);
  });

  it("ignores modified keys and auto-repeat of trading keys", () => {
    expect(press("b", document.body, { ctrlKey: true })).toBeNull();
    expect(press("s", document.body, { metaKey: true })).toBeNull();
    expect(press("b", document.body, { repeat: true })).toBeNull();
    expect(press("+", document.body, { repeat: true })).toBe("sizeUp");
  });

  it("steps sizes along 1-2-5 and stays at the ends", () => {
    expect(stepSize(100, "up")).toBe(200);
    expect(stepSize(250, "up")).toBe(500);
    expect(stepSize(250, "down")).toBe(200);
    expect(stepSize(100, "down")).toBe(100);
  });
});
