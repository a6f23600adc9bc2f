/// <reference types="vite/client" />
declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
interface ImportMetaEnv {
  /** The identity provider's authorize URL (OIDC implicit flow returning #access_token); empty in development. */
  readonly VITE_IDP_AUTHORIZE_URL?: string;
  readonly VITE_IDP_CLIENT_ID?: string;
}
