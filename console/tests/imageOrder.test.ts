import { describe, expect, it } from "vitest";
import { inCatalogOrder } from "../src/lib/imageOrder";

const checklist = ["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"].map((materialType) => ({ materialType }));
// As the API answered one case: a diploma first and the three ID images scattered (ids are UUIDv7: upload order).
const answered = [
  { imageId: "01a23dcb-9998-7654-ad73-00c47cab8104", materialType: "graduation-certificate" },
  { imageId: "01a23dcb-8e58-748e-8b4f-f090434c5750", materialType: "trial-period-certificate" },
  { imageId: "01a23dcb-78f7-7c79-bbda-096751f424f0", materialType: "id-card" },
  { imageId: "01a23dcb-a511-71c9-be5a-62942dfafed0", materialType: "registration-notice" },
  { imageId: "01a23dcb-6703-78fc-8920-360324e5703a", materialType: "id-card" },
  { imageId: "01a23dcb-6ea8-7da3-a0b4-53f3f3a9e6d2", materialType: "id-card" },
  { imageId: "01a23dcb-859e-70b4-bb2f-2e7d0ef91008", materialType: "institution-licence" },
];

describe("the order of a case's images", () => {
  it("follows the checklist, and the upload order within one material", () => {
    expect(inCatalogOrder(answered, checklist).map((i) => i.imageId.slice(9, 13))).toEqual(["6703", "6ea8", "78f7", "859e", "8e58", "9998", "a511"]);
  });

  it("puts a material the checklist does not list last, and keeps the upload order without a checklist", () => {
    const extra = { imageId: "01a23dcb-0000-7000-8000-000000000000", materialType: "foreign-degree-certification" };
    expect(inCatalogOrder([extra, ...answered], checklist).at(-1)).toBe(extra);
    expect(inCatalogOrder(answered, null).map((i) => i.imageId.slice(9, 13))).toEqual(["6703", "6ea8", "78f7", "859e", "8e58", "9998", "a511"]);
  });

  it("leaves the answer it was given as it was", () => {
    const copy = [...answered];
    inCatalogOrder(answered, checklist);
    expect(answered).toEqual(copy);
  });
});
