/**
 * The `test` every spec uses: Playwright's, plus an automatic check that no
 * page broke the Content-Security-Policy. Violations are caught two ways
 * (the `securitypolicyviolation` DOM event, and Chromium's console error
 * "Refused to … because it violates the following Content Security Policy
 * directive"), and a test with any fails after its own steps pass.
 */
import { expect, test as base } from "@playwright/test";

const MARKER = "[csp-violation]";

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      await page.addInitScript((marker) => {
        document.addEventListener("securitypolicyviolation", (event) => {
          console.error(
            `${marker} ${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`,
          );
        });
      }, MARKER);
      page.on("console", (message) => {
        const text = message.text();
        if (text.startsWith(MARKER) || /Content Security Policy/i.test(text)) violations.push(text);
      });
      await use(violations);
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Locator, Page } from "@playwright/test";
