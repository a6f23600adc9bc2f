// Keyboard shortcuts on the case page. Keys are ignored while the reviewer types (inputs, text areas, selects,
// contenteditable) and when a modifier is held, so Ctrl+C and friends keep working.

export type ShortcutAction = "nextImage" | "previousImage" | "approveImage" | "requestReplacement" | "fitImage" | "rotateImage";

export const shortcutKeys: Record<string, ShortcutAction> = {
  ArrowRight: "nextImage",
  j: "nextImage",
  ArrowLeft: "previousImage",
  k: "previousImage",
  a: "approveImage",
  r: "requestReplacement",
  f: "fitImage",
  o: "rotateImage",
};

export const shortcutHelp: ReadonlyArray<[string, string]> = [
  ["→ / J", "下一张图片"],
  ["← / K", "上一张图片"],
  ["A", "通过当前图片 ✓"],
  ["R", "要求重传当前图片"],
  ["F", "适应窗口"],
  ["O", "旋转 90°"],
];

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: { tagName?: string; isContentEditable?: boolean } | null;
}

const typingTags = new Set(["INPUT", "TEXTAREA", "SELECT"]);

export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) {
    return null;
  }
  const target = event.target;
  if (target && (target.isContentEditable || (target.tagName && typingTags.has(target.tagName.toUpperCase())))) {
    return null;
  }
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return shortcutKeys[key] ?? null;
}

/** The image index after moving by `step`, staying within the list (no wrap: the reviewer sees where the list ends). */
export function moveIndex(current: number, count: number, step: number): number {
  if (count === 0) {
    return 0;
  }
  return Math.min(count - 1, Math.max(0, current + step));
}
