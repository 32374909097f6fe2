import { Type, type TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { Manifest } from "./render.ts";

/**
 * Shapes of the custom resources the chart renders, from the resource specs
 * (no offline CRD schema bundle exists): Dapr's Component, Subscription
 * v2alpha1, Resiliency and Configuration
 * (docs.dapr.io/reference/resource-specs/), and Strimzi's Kafka and
 * KafkaNodePool (strimzi.io/docs, KafkaSpec / KafkaNodePoolSpec). Strict
 * objects: a misspelt field fails here instead of being ignored by the operator.
 */
const strict = <T extends Parameters<typeof Type.Object>[0]>(properties: T) => Type.Object(properties, { additionalProperties: false });
const Name = Type.String({ pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", maxLength: 253 });
const Metadata = Type.Object({
  name: Name,
  namespace: Type.Optional(Name),
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const Scopes = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });
const Duration = Type.String({ pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$" });

const ComponentMetadataItem = Type.Union([
  strict({ name: Type.String({ minLength: 1 }), value: Type.String() }),
  strict({ name: Type.String({ minLength: 1 }), secretKeyRef: strict({ name: Name, key: Type.String({ minLength: 1 }) }) }),
]);

const Component = strict({
  apiVersion: Type.Literal("dapr.io/v1alpha1"),
  kind: Type.Literal("Component"),
  metadata: Metadata,
  spec: strict({
    type: Type.String({ pattern: "^(pubsub|state|secretstores|bindings|configuration|lock|middleware\\.http|conversation|cryptography|workflow|nameresolution)\\.[a-z0-9.]+$" }),
    version: Type.String({ pattern: "^v[0-9]+$" }),
    metadata: Type.Array(ComponentMetadataItem),
    initTimeout: Type.Optional(Duration),
    ignoreErrors: Type.Optional(Type.Boolean()),
  }),
  auth: Type.Optional(strict({ secretStore: Name })),
  scopes: Type.Optional(Scopes),
});

const Subscription = strict({
  apiVersion: Type.Literal("dapr.io/v2alpha1"),
  kind: Type.Literal("Subscription"),
  metadata: Metadata,
  spec: strict({
    pubsubname: Name,
    topic: Type.String({ minLength: 1 }),
    routes: strict({
      default: Type.Optional(Type.String({ pattern: "^/" })),
      rules: Type.Optional(Type.Array(strict({ match: Type.String(), path: Type.String({ pattern: "^/" }) }))),
    }),
    deadLetterTopic: Type.Optional(Type.String({ minLength: 1 })),
    bulkSubscribe: Type.Optional(
      strict({ enabled: Type.Boolean(), maxMessagesCount: Type.Optional(Type.Integer()), maxAwaitDurationMs: Type.Optional(Type.Integer()) }),
    ),
    metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
  scopes: Type.Optional(Scopes),
});

const Retry = strict({
  policy: Type.Union([Type.Literal("constant"), Type.Literal("exponential")]),
  duration: Type.Optional(Duration),
  maxInterval: Type.Optional(Duration),
  maxRetries: Type.Optional(Type.Integer({ minimum: -1 })),
  matching: Type.Optional(strict({ httpStatusCodes: Type.Optional(Type.String()), gRPCStatusCodes: Type.Optional(Type.String()) })),
});
const CircuitBreaker = strict({
  maxRequests: Type.Optional(Type.Integer({ minimum: 1 })),
  interval: Type.Optional(Duration),
  timeout: Type.Optional(Duration),
  trip: Type.String({ minLength: 1 }),
});
const PolicyRef = strict({ timeout: Type.Optional(Type.String()), retry: Type.Optional(Type.String()), circuitBreaker: Type.Optional(Type.String()) });
const Resiliency = strict({
  apiVersion: Type.Literal("dapr.io/v1alpha1"),
  kind: Type.Literal("Resiliency"),
  metadata: Metadata,
  spec: strict({
    policies: strict({
      timeouts: Type.Optional(Type.Record(Type.String(), Duration)),
      retries: Type.Optional(Type.Record(Type.String(), Retry)),
      circuitBreakers: Type.Optional(Type.Record(Type.String(), CircuitBreaker)),
    }),
    targets: strict({
      apps: Type.Optional(Type.Record(Type.String(), PolicyRef)),
      actors: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      components: Type.Optional(Type.Record(Type.String(), strict({ inbound: Type.Optional(PolicyRef), outbound: Type.Optional(PolicyRef) }))),
    }),
  }),
  scopes: Type.Optional(Scopes),
});

const Configuration = strict({
  apiVersion: Type.Literal("dapr.io/v1alpha1"),
  kind: Type.Literal("Configuration"),
  metadata: Metadata,
  spec: strict({
    tracing: Type.Optional(
      strict({
        samplingRate: Type.String({ pattern: "^(0(\\.[0-9]+)?|1(\\.0+)?)$" }),
        stdout: Type.Optional(Type.Boolean()),
        otel: Type.Optional(
          strict({ endpointAddress: Type.String({ minLength: 1 }), isSecure: Type.Boolean(), protocol: Type.Union([Type.Literal("grpc"), Type.Literal("http")]) }),
        ),
        zipkin: Type.Optional(strict({ endpointAddress: Type.String({ minLength: 1 }) })),
      }),
    ),
    metrics: Type.Optional(strict({ enabled: Type.Boolean() })),
    secrets: Type.Optional(
      strict({
        scopes: Type.Array(
          strict({
            storeName: Name,
            defaultAccess: Type.Optional(Type.Union([Type.Literal("allow"), Type.Literal("deny")])),
            allowedSecrets: Type.Optional(Type.Array(Type.String())),
            deniedSecrets: Type.Optional(Type.Array(Type.String())),
          }),
        ),
      }),
    ),
    features: Type.Optional(Type.Array(strict({ name: Type.String(), enabled: Type.Boolean() }))),
  }),
});

const Quantity = Type.Union([Type.String({ pattern: "^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$" }), Type.Number()]);
const Resources = strict({
  requests: Type.Optional(strict({ cpu: Type.Optional(Quantity), memory: Type.Optional(Quantity) })),
  limits: Type.Optional(strict({ cpu: Type.Optional(Quantity), memory: Type.Optional(Quantity) })),
});
const StrimziApiVersion = Type.Union([Type.Literal("kafka.strimzi.io/v1beta2"), Type.Literal("kafka.strimzi.io/v1")]);
const KafkaNodePool = strict({
  apiVersion: StrimziApiVersion,
  kind: Type.Literal("KafkaNodePool"),
  metadata: Metadata,
  spec: strict({
    replicas: Type.Integer({ minimum: 1 }),
    roles: Type.Array(Type.Union([Type.Literal("controller"), Type.Literal("broker")]), { minItems: 1 }),
    storage: strict({
      type: Type.Literal("jbod"),
      volumes: Type.Array(
        strict({
          id: Type.Integer({ minimum: 0 }),
          type: Type.Union([Type.Literal("ephemeral"), Type.Literal("persistent-claim")]),
          size: Type.Optional(Quantity),
          deleteClaim: Type.Optional(Type.Boolean()),
          class: Type.Optional(Type.String()),
          kraftMetadata: Type.Optional(Type.Literal("shared")),
        }),
        { minItems: 1 },
      ),
    }),
    resources: Type.Optional(Resources),
  }),
});
const Kafka = strict({
  apiVersion: StrimziApiVersion,
  kind: Type.Literal("Kafka"),
  metadata: Metadata,
  spec: strict({
    kafka: strict({
      version: Type.String({ pattern: "^[0-9]+\\.[0-9]+\\.[0-9]+$" }),
      metadataVersion: Type.Optional(Type.String({ pattern: "^[0-9]+\\.[0-9]+-IV[0-9]+$" })),
      listeners: Type.Array(
        strict({
          name: Type.String({ pattern: "^[a-z0-9]{1,11}$" }),
          port: Type.Integer({ minimum: 9092 }),
          type: Type.Union([Type.Literal("internal"), Type.Literal("route"), Type.Literal("loadbalancer"), Type.Literal("nodeport"), Type.Literal("ingress"), Type.Literal("cluster-ip")]),
          tls: Type.Boolean(),
        }),
        { minItems: 1 },
      ),
      config: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
    }),
    entityOperator: Type.Optional(strict({ topicOperator: Type.Optional(Type.Object({})), userOperator: Type.Optional(Type.Object({})) })),
  }),
});

const shapes: Record<string, TSchema> = {
  "dapr.io/v1alpha1/Component": Component,
  "dapr.io/v2alpha1/Subscription": Subscription,
  "dapr.io/v1alpha1/Resiliency": Resiliency,
  "dapr.io/v1alpha1/Configuration": Configuration,
  "kafka.strimzi.io/v1beta2/KafkaNodePool": KafkaNodePool,
  "kafka.strimzi.io/v1/KafkaNodePool": KafkaNodePool,
  "kafka.strimzi.io/v1beta2/Kafka": Kafka,
  "kafka.strimzi.io/v1/Kafka": Kafka,
};

export const isCustomResource = (manifest: Manifest) => /(^|\.)dapr\.io\/|\.strimzi\.io\//.test(manifest.apiVersion);

/** Throws, listing every mismatch, when a custom resource does not fit its spec. */
export function validateCustomResource(manifest: Manifest): void {
  const shape = shapes[`${manifest.apiVersion}/${manifest.kind}`];
  if (!shape) throw new Error(`${manifest.apiVersion} ${manifest.kind} has no known shape`);
  const errors = [...Value.Errors(shape, manifest)].map((error) => `${error.path || "/"}: ${error.message}`);
  if (errors.length > 0) throw new Error(`${manifest.kind}/${manifest.metadata.name}: ${errors.slice(0, 10).join("; ")}`);
}
