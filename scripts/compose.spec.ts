/**
 * compose-local.yml and compose-remote.yml cannot run on the CI machine (no Docker engine), so this
 * pins what makes them right: the services, the published ports of DESIGN §10, the Kafka version of
 * the native broker, logical decoding for CDC, TLS for the remote mode (F-SEC-2), the per-service
 * command of the one Dockerfile, and that every variable they use is documented in .env.example.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string | number | boolean>;
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
}

function loadCompose(file: string): ComposeFile {
  return parse(read(file), { merge: true }) as ComposeFile;
}

/** Compose interpolation with the defaults only: `${X:-d}` → d, `${X:?msg}` → `<X>`, `$${X}` kept. */
function withDefaults(value: string): string {
  return value.replace(
    /(?<!\$)\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g,
    (_m, name: string, op?: string, arg?: string) => (op === '-' ? (arg ?? '') : `<${name}>`),
  );
}

/** Every `${NAME…}` a file reads from the environment (`$${…}` is a literal for the container's shell). */
function referencedVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<!\$)\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
}

function publishedPorts(service: Service): { host: number; container: number }[] {
  return (service.ports ?? []).map((p) => {
    const parts = withDefaults(p).split(':');
    return { host: Number(parts[parts.length - 2]), container: Number(parts[parts.length - 1]) };
  });
}

const envExampleNames = (): Set<string> => {
  const file = join(ROOT, '.env.example');
  if (!existsSync(file))
    throw new Error('.env.example is missing: the compose files take their settings from it');
  return new Set(
    [...read('.env.example').matchAll(/^\s*#?\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]),
  );
};

// Addresses of one container as seen from another: compose wiring, not user settings.
const CONTAINER_WIRING = new Set(['PROCESSOR_URL', 'CDC_URL']);

const OUR_SERVICES: Record<string, { main: string; port: number; portVar: string }> = {
  api: { main: 'services/checkout-api/dist/main.js', port: 8081, portVar: 'API_PORT' },
  'inventory-processor': {
    main: 'services/inventory-processor/dist/main.js',
    port: 8091,
    portVar: 'PROCESSOR_PORT',
  },
  'cdc-worker': { main: 'services/cdc-worker/dist/main.js', port: 8092, portVar: 'CDC_PORT' },
};

describe.each(['compose-local.yml', 'compose-remote.yml'])('%s', (file) => {
  const compose = loadCompose(file);
  const remote = file === 'compose-remote.yml';

  it('has our three services, each running its own entry point from the one Dockerfile image', () => {
    for (const [name, { main, port, portVar }] of Object.entries(OUR_SERVICES)) {
      const service = compose.services[name];
      expect(service).toBeDefined();
      expect(service.command).toEqual(['node', main]);
      expect(service.image).toBe('kartshoppe-ts:local');
      expect(publishedPorts(service)).toEqual([{ host: port, container: port }]);
      expect(service.ports?.[0]).toContain(`\${${portVar}:-${port}}`);
      // Published on loopback only, like the native platform.
      expect(service.ports?.[0].startsWith('127.0.0.1:')).toBe(true);
    }
    expect(compose.services.api.build).toBe('.');
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
  });

  it('gives every service of ours the Kafka and Postgres settings by their .env.example names', () => {
    for (const name of Object.keys(OUR_SERVICES)) {
      const env = compose.services[name].environment ?? {};
      for (const key of [
        'KAFKA_BOOTSTRAP_SERVERS',
        'POSTGRES_HOST',
        'POSTGRES_PORT',
        'POSTGRES_DB',
        'POSTGRES_USER',
        'POSTGRES_PASSWORD',
        'LOG_LEVEL',
      ]) {
        expect(env).toHaveProperty(key);
      }
    }
    expect(compose.services['cdc-worker'].environment).toHaveProperty('CDC_SLOT_NAME');
  });

  it('uses only variables that .env.example documents', () => {
    const documented = envExampleNames();
    const used = new Set<string>(referencedVariables(read(file)));
    for (const name of Object.keys(OUR_SERVICES)) {
      for (const key of Object.keys(compose.services[name].environment ?? {})) used.add(key);
    }
    const undocumented = [...used].filter((v) => !documented.has(v) && !CONTAINER_WIRING.has(v));
    expect(undocumented).toEqual([]);
  });

  if (remote) {
    it('runs our services only: Kafka and Postgres are managed', () => {
      expect(Object.keys(compose.services).sort()).toEqual(Object.keys(OUR_SERVICES).sort());
    });

    it('talks to them over TLS with SASL credentials from .env (F-SEC-2)', () => {
      const env = compose.services.api.environment ?? {};
      expect(withDefaults(String(env.KAFKA_SSL))).toBe('true');
      expect(withDefaults(String(env.POSTGRES_SSL))).toBe('true');
      expect(withDefaults(String(env.KAFKA_SASL_MECHANISM))).toMatch(/^scram-sha-(256|512)$/);
      expect(String(env.KAFKA_PASSWORD)).toMatch(/^\$\{KAFKA_PASSWORD:\?/);
      expect(String(env.POSTGRES_PASSWORD)).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
      expect(env.API_MODE).toBe('remote');
    });
  } else {
    it('publishes Kafka on 9092 and Postgres on 5432 (DESIGN §10)', () => {
      expect(publishedPorts(compose.services.kafka)).toEqual([{ host: 9092, container: 9092 }]);
      expect(publishedPorts(compose.services.postgres)).toEqual([{ host: 5432, container: 5432 }]);
    });

    it('runs Kafka in KRaft mode with the version of the native broker jars', () => {
      const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(read('infra/kafka/pom.xml'))?.[1];
      expect(version).toBeDefined();
      expect(compose.services.kafka.image).toBe(`apache/kafka:${version}`);
      const env = compose.services.kafka.environment ?? {};
      expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
      expect(withDefaults(String(env.KAFKA_ADVERTISED_LISTENERS))).toContain('127.0.0.1:9092');
      expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
      expect(compose.services.api.environment?.KAFKA_BOOTSTRAP_SERVERS).toBe('kafka:19092');
    });

    it('runs PostgreSQL 15 with logical decoding and the migrations mounted', () => {
      const pg = compose.services.postgres;
      expect(pg.image).toMatch(/^postgres:15(\.|$|-)/);
      expect(pg.command?.join(' ')).toContain('wal_level=logical');
      expect(pg.volumes).toContain('./infra/migrations:/docker-entrypoint-initdb.d:ro');
      expect(existsSync(join(ROOT, 'infra/migrations'))).toBe(true);
      expect(compose.services.api.environment?.POSTGRES_HOST).toBe('postgres');
    });
  }
});

describe('the workshop scripts and the Dockerfile agree with the compose files', () => {
  it('start the same entry points', () => {
    const workshop = read('scripts/lib/workshop.sh');
    const dockerfile = read('Dockerfile');
    for (const { main } of Object.values(OUR_SERVICES)) expect(workshop).toContain(main);
    expect(dockerfile).toContain('npx tsc -b tsconfig.build.json');
  });

  it('start-platform-local.sh starts only kafka and postgres from compose-local.yml', () => {
    expect(read('start-platform-local.sh')).toContain(
      'docker compose -f compose-local.yml up -d --wait kafka postgres',
    );
  });
});
