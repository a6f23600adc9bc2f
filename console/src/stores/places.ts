import { defineStore } from "pinia";
import { ok, registrations } from "../api/client";
import { placeNames, type ReferenceAreas } from "../lib/places";

/** The reference data's areas and sites, fetched once per sign-in; the page shows codes until (or unless) it arrives. */
export const usePlaces = defineStore("places", {
  state: () => ({ reference: null as ReferenceAreas | null, loading: false }),
  getters: {
    names: (state) => placeNames(state.reference),
  },
  actions: {
    async load() {
      if (this.reference || this.loading) return;
      this.loading = true;
      try {
        this.reference = await ok(registrations.GET("/api/v1/registrations/reference"));
      } catch {
        // Names are a help, not a need: codes stay shown.
      } finally {
        this.loading = false;
      }
    },
  },
});
