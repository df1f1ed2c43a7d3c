/** The application protocols a role may speak (`protocol` in the config), by name, with their options. */
import { grpc, grpcWith, h2, H2_OPTIONS, h2With, type H2Options } from './h2.js';
import { http, HTTP_OPTIONS, httpWith, type HttpOptions } from './http.js';
import { ldap, LDAP_OPTIONS } from './ldap.js';
import { mqtt, MQTT_OPTIONS, mqttWith, type MqttOptions } from './mqtt.js';
import { mysql, MYSQL_OPTIONS, mysqlWith, type MysqlOptions } from './mysql.js';
import { postgres, POSTGRES_OPTIONS, postgresWith, type PostgresOptions } from './postgres.js';
import { raw } from './raw.js';
import { redis, REDIS_OPTIONS, redisWith, type RedisOptions } from './redis.js';
import { smtp, SMTP_OPTIONS, smtpWith, type SmtpOptions } from './smtp.js';
import type { AppProtocol, OptionChecks } from './types.js';

export const PROTOCOLS = { raw, http, h2, grpc, postgres, mysql, redis, mqtt, ldap, smtp } as const satisfies Record<
  string,
  AppProtocol
>;
export type ProtocolName = keyof typeof PROTOCOLS;
export const PROTOCOL_NAMES = Object.keys(PROTOCOLS) as ProtocolName[];

/** Each protocol's options and their checks (the config loader refuses anything else). */
export const PROTOCOL_OPTIONS: Record<ProtocolName, OptionChecks> = {
  raw: {},
  http: HTTP_OPTIONS,
  h2: H2_OPTIONS,
  grpc: H2_OPTIONS,
  postgres: POSTGRES_OPTIONS,
  mysql: MYSQL_OPTIONS,
  redis: REDIS_OPTIONS,
  mqtt: MQTT_OPTIONS,
  ldap: LDAP_OPTIONS,
  smtp: SMTP_OPTIONS,
};

/** A role's `protocol`: a name, or the name with its options. */
export type ProtocolConfig =
  | ProtocolName
  | { name: 'raw' }
  | ({ name: 'http' } & HttpOptions)
  | ({ name: 'h2' } & H2Options)
  | ({ name: 'grpc' } & H2Options)
  | ({ name: 'postgres' } & PostgresOptions)
  | ({ name: 'mysql' } & MysqlOptions)
  | ({ name: 'redis' } & RedisOptions)
  | ({ name: 'mqtt' } & MqttOptions)
  | { name: 'ldap' }
  | ({ name: 'smtp' } & SmtpOptions);

/** The protocol of a role; `raw` when it names none. */
export function protocolOf(config: ProtocolConfig | undefined): AppProtocol {
  if (config === undefined || typeof config === 'string') return PROTOCOLS[config ?? 'raw'];
  switch (config.name) {
    case 'http':
      return httpWith(config);
    case 'h2':
      return h2With(config);
    case 'grpc':
      return grpcWith(config);
    case 'postgres':
      return postgresWith(config);
    case 'mysql':
      return mysqlWith(config);
    case 'redis':
      return redisWith(config);
    case 'mqtt':
      return mqttWith(config);
    case 'smtp':
      return smtpWith(config);
    default:
      return PROTOCOLS[config.name];
  }
}
