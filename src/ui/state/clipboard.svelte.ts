// Copy to the clipboard with a short "Copied" confirmation that components can show next to what was copied.

export class ClipboardState {
  /** A key naming what was copied last (e.g. a hash), while its confirmation shows. */
  copied = $state<string | undefined>(undefined);
  /** A message for screen readers and the toast. */
  message = $state('');
  #timer?: ReturnType<typeof setTimeout>;

  async copy(text: string, key = text, what = 'Copied'): Promise<boolean> {
    const ok = await writeClipboard(text);
    clearTimeout(this.#timer);
    this.copied = ok ? key : undefined;
    this.message = ok
      ? `${what} to the clipboard`
      : 'The browser did not allow copying; select the text and copy it by hand';
    this.#timer = setTimeout(() => {
      this.copied = undefined;
      this.message = '';
    }, 1600);
    return ok;
  }
}

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Insecure contexts and denied permissions: the old selection-based copy still works in a click handler.
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
