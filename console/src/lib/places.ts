// Exam areas (考区) and sites (考点) by name, as Registration's reference data names them (湖南考区, 长沙市考点): the API's
// answers carry codes, which reviewers and operators do not read as places. A code the reference data does not know
// (not loaded yet, or added since) shows as itself.

export interface ReferenceAreas {
  areas: readonly { code: string; name: string; sites: readonly { code: string; name: string }[] }[];
}

export interface PlaceNames {
  area(code: string | null | undefined): string;
  site(code: string | null | undefined): string;
}

export function placeNames(reference: ReferenceAreas | null): PlaceNames {
  const areas = new Map((reference?.areas ?? []).map((a) => [a.code, a.name]));
  const sites = new Map((reference?.areas ?? []).flatMap((a) => a.sites.map((s) => [s.code, s.name] as const)));
  const named = (names: Map<string, string>) => (code: string | null | undefined) => (code ? (names.get(code) ?? code) : "—");
  return { area: named(areas), site: named(sites) };
}
