/** The journal file: whole lines only; a torn or corrupt tail is dropped and cut off on open. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JournalFile, readJournal } from "@/server/sim/persistence/journal-file";

const dir = mkdtempSync(path.join(tmpdir(), "sim-journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("journal file", () => {
  it("reads whole records and ignores a torn last line", () => {
    const file = path.join(dir, "torn.jsonl");
    writeFileSync(file, '{"k":"a"}\n{"k":"b"}\n{"k":"c","a":[1,');
    const read = readJournal(file);
    expect(read.lines.map((line) => line.value)).toEqual([{ k: "a" }, { k: "b" }]);
    expect(read.droppedBytes).toBe('{"k":"c","a":[1,'.length);

    // Appending after open first cuts the torn tail, so the next record starts on a clean line.
    const journal = new JournalFile(file, read.validBytes);
    journal.append({ k: "d" });
    journal.close();
    expect(readFileSync(file, "utf8")).toBe('{"k":"a"}\n{"k":"b"}\n{"k":"d"}\n');
    expect(readJournal(file).droppedBytes).toBe(0);
  });

  it("stops at a corrupt line as if the file ended there", () => {
    const file = path.join(dir, "corrupt.jsonl");
    writeFileSync(file, '{"k":"a"}\nnot json\n{"k":"c"}\n');
    expect(readJournal(file).lines.map((line) => line.value)).toEqual([{ k: "a" }]);
  });

  it("treats a missing file as empty and creates it on open", () => {
    const file = path.join(dir, "new.jsonl");
    expect(readJournal(file)).toEqual({ lines: [], validBytes: 0, droppedBytes: 0 });
    const journal = new JournalFile(file, 0);
    journal.append({ k: "x" });
    expect(journal.size).toBe('{"k":"x"}\n'.length);
    journal.close();
    appendFileSync(file, "");
    expect(readJournal(file).lines).toHaveLength(1);
  });
});
