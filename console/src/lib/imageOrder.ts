// The order a reviewer goes through a case's images: the catalog's, as the checklist beside them lists the materials
// (有效身份证明, then the licence, …), and within one material the order the candidate uploaded them (image ids are
// UUIDv7, so their text sorts by upload time). The API answers a case's images in no order a reviewer could follow (its
// rows' ids are made in one loop, equal to the millisecond), so three ID images could be 3rd, 5th and 6th and a diploma
// first. Every place the page counts (第 2 张, the thumbnails, the return dialog, the timeline) counts in this order.

export interface OrderedImage {
  imageId: string;
  materialType?: string | null;
}

export function inCatalogOrder<T extends OrderedImage>(images: readonly T[], checklist: readonly { materialType: string }[] | null | undefined): T[] {
  const rank = new Map((checklist ?? []).map((item, i) => [item.materialType, i]));
  const rankOf = (image: T) => rank.get(image.materialType ?? "") ?? Number.MAX_SAFE_INTEGER;
  return [...images].sort((a, b) => rankOf(a) - rankOf(b) || (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0));
}
