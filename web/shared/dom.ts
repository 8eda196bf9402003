// Small DOM helpers that change a node only when its value differs, so periodic refreshes never flicker.

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`page template lacks #${id}`);
  return node as T;
}

export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function setAttr(node: Element, name: string, value: string | null): void {
  if (value === null) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== value) {
    node.setAttribute(name, value);
  }
}

export function setShown(node: HTMLElement, shown: boolean): void {
  if (node.hidden === shown) node.hidden = !shown;
}

/** Creates an element with a class and optional text; children are appended in order. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, className = '', text = '', ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  for (const child of children) node.appendChild(child);
  return node;
}

/**
 * Shows `items` as the children of `parent`, in order, one node per key: a known key keeps its row (its node moved
 * only when out of place, so untouched rows keep focus and selection), a new key gets `make`, a key gone is removed.
 */
export function placeRows<T, R>(parent: Element, rows: Map<string, R>, items: readonly T[], o: {
  key(item: T): string; node(row: R): Element; make(item: T): R; update(row: R, item: T): void;
}): void {
  const keep = new Set<string>();
  items.forEach((item, i) => {
    const key = o.key(item);
    keep.add(key);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = o.make(item)));
    o.update(row, item);
    const node = o.node(row);
    const at = parent.children[i];
    if (at !== node) parent.insertBefore(node, at ?? null);
  });
  for (const [key, row] of rows) {
    if (keep.has(key)) continue;
    o.node(row).remove();
    rows.delete(key);
  }
}
