// Page-wide keyboard shortcuts (window keydown handlers) stand aside while the user types, holds a modifier, or
// has a modal dialog open: Esc there belongs to the dialog (the browser closes it), not to the page beneath it.

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
      (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'range'))
  );
}

/** True when a page's window-level shortcut must not act on this key event. */
export function pageKeysIgnored(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return true;
  // A modal dialog makes the rest of the page inert: its keys are its own.
  if (event.target instanceof Element && event.target.closest('dialog')) return true;
  return document.querySelector('dialog[open]') !== null;
}
