// use:inView — calls back when an element comes near the viewport of its scrolling ancestor, and when it leaves.
const callbacks = new WeakMap<Element, (visible: boolean) => void>();
let observer: IntersectionObserver | undefined;

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) callbacks.get(entry.target)?.(entry.isIntersecting);
    },
    // Start loading a screen's worth of rows early so scrolling rarely shows an empty card.
    { rootMargin: '400px 0px' },
  );
  return observer;
}

export function inView(node: Element, onchange: (visible: boolean) => void) {
  callbacks.set(node, onchange);
  shared().observe(node);
  return {
    update(next: (visible: boolean) => void) {
      callbacks.set(node, next);
    },
    destroy() {
      callbacks.delete(node);
      shared().unobserve(node);
    },
  };
}
