/**
 * `mtls-conformance`: what a team's mtls.config.ts imports, `defineConfig` and the config types.
 * Nothing else of the package is public.
 */
export { defineConfig } from '../config/types.js';
export type {
  ClientRole,
  CommandClientRole,
  CommandRole,
  CommandServerRole,
  EndpointServerRole,
  MtlsConfig,
  NodeClientRole,
  NodeServerRole,
  RoleMaterial,
  ServerIdentity,
  ServerNameOptions,
  ServerRole,
  TargetConfig,
} from '../config/types.js';
