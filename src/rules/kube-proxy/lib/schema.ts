/**
 * JSON Schema (draft-07) of KubeProxyConfiguration, kubeproxy.config.k8s.io/v1alpha1.
 *
 * Field list and Go types from kubernetes/kube-proxy config/v1alpha1/types.go (1.33+
 * layout, including iptables.snatNodeInternalIP), component-base ClientConnectionConfiguration
 * and logs/api/v1 LoggingConfiguration. The schema only describes what the Go JSON decoder
 * accepts (types, int32 ranges, duration syntax); semantic rules live in validate.ts.
 *
 * Every struct has additionalProperties: false so unknown fields are reported. `null` is
 * accepted everywhere because the Go decoder treats it as "leave the zero value".
 *
 * Plain data on purpose: it is compiled lazily by validate.ts and can be precompiled with
 * ajv standalone.
 */
import { GO_DURATION_PATTERN, type JsonSchema } from "../../lib/config-problem.js";

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const UINT32_MAX = 4294967295;

export const str = (): JsonSchema => ({ type: ["string", "null"] });
export const bool = (): JsonSchema => ({ type: ["boolean", "null"] });
export const int32 = (): JsonSchema => ({ type: ["integer", "null"], minimum: INT32_MIN, maximum: INT32_MAX });
export const uint32 = (): JsonSchema => ({ type: ["integer", "null"], minimum: 0, maximum: UINT32_MAX });
export const int64 = (): JsonSchema => ({ type: ["integer", "null"] });
export const float = (): JsonSchema => ({ type: ["number", "null"] });
export const duration = (): JsonSchema => ({ type: ["string", "null"], pattern: GO_DURATION_PATTERN });
export const strList = (): JsonSchema => ({ type: ["array", "null"], items: str() });
export const strMap = (): JsonSchema => ({ type: ["object", "null"], additionalProperties: str() });
export const boolMap = (): JsonSchema => ({ type: ["object", "null"], additionalProperties: bool() });
/** resource.Quantity: a string like "100Mi" or a plain number. */
export const quantity = (): JsonSchema => ({
  type: ["string", "number", "null"],
  description: 'a resource quantity such as "100Mi" or 1024',
});
export const struct = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: ["object", "null"],
  properties,
  additionalProperties: false,
});

/** k8s.io/component-base/config/v1alpha1 ClientConnectionConfiguration. */
export const clientConnectionSchema = (): JsonSchema =>
  struct({
    kubeconfig: str(),
    acceptContentTypes: str(),
    contentType: str(),
    qps: float(),
    burst: int32(),
  });

const outputRoutingOptions = (): JsonSchema =>
  struct({
    splitStream: bool(),
    infoBufferSize: quantity(),
  });

/** k8s.io/component-base/logs/api/v1 LoggingConfiguration. */
export const loggingSchema = (): JsonSchema =>
  struct({
    format: str(),
    // TimeOrMetaDuration: a duration string or an integer number of nanoseconds.
    flushFrequency: {
      type: ["string", "integer", "null"],
      pattern: GO_DURATION_PATTERN,
      description: 'a duration string such as "5s" or an integer number of nanoseconds',
    },
    verbosity: uint32(),
    vmodule: {
      type: ["array", "null"],
      items: struct({ filePattern: str(), verbosity: uint32() }),
    },
    options: struct({
      text: outputRoutingOptions(),
      json: outputRoutingOptions(),
    }),
  });

let kubeProxyConfigSchemaCached: JsonSchema | undefined;

/** Built on first use: only runs with a KubeProxyConfiguration validate one. */
export function kubeProxyConfigSchema(): JsonSchema {
  return (kubeProxyConfigSchemaCached ??= {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://kube-netlint.dev/schemas/kubeproxy.config.k8s.io/v1alpha1/KubeProxyConfiguration.json",
    title: "KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1)",
    type: "object",
    additionalProperties: false,
    properties: {
      apiVersion: str(),
      kind: str(),
      featureGates: {
        ...boolMap(),
        description: "a mapping of feature gate names to booleans (e.g. {NFTablesProxyMode: true})",
      },
      clientConnection: clientConnectionSchema(),
      logging: loggingSchema(),
      hostnameOverride: str(),
      bindAddress: str(),
      healthzBindAddress: str(),
      metricsBindAddress: str(),
      bindAddressHardFail: bool(),
      enableProfiling: bool(),
      showHiddenMetricsForVersion: str(),
      mode: str(),
      iptables: struct({
        masqueradeBit: int32(),
        masqueradeAll: bool(),
        localhostNodePorts: bool(),
        snatNodeInternalIP: bool(),
        syncPeriod: duration(),
        minSyncPeriod: duration(),
      }),
      ipvs: struct({
        syncPeriod: duration(),
        minSyncPeriod: duration(),
        scheduler: str(),
        excludeCIDRs: strList(),
        // In the upstream scheme fixture after/v1alpha1.yaml (kubernetes/kubernetes 0289310), defaulted to 1024 / 65536.
        ipSet: struct({ hashSize: int32(), maxElements: int32() }),
        strictARP: bool(),
        tcpTimeout: duration(),
        tcpFinTimeout: duration(),
        udpTimeout: duration(),
      }),
      nftables: struct({
        masqueradeBit: int32(),
        masqueradeAll: bool(),
        syncPeriod: duration(),
        minSyncPeriod: duration(),
      }),
      winkernel: struct({
        networkName: str(),
        sourceVip: str(),
        enableDSR: bool(),
        rootHnsEndpointName: str(),
        forwardHealthCheckVip: bool(),
      }),
      detectLocalMode: str(),
      detectLocal: struct({
        bridgeInterface: str(),
        interfaceNamePrefix: str(),
      }),
      clusterCIDR: str(),
      nodePortAddresses: strList(),
      oomScoreAdj: int32(),
      conntrack: struct({
        maxPerCore: int32(),
        min: int32(),
        tcpEstablishedTimeout: duration(),
        tcpCloseWaitTimeout: duration(),
        tcpBeLiberal: bool(),
        udpTimeout: duration(),
        udpStreamTimeout: duration(),
      }),
      configSyncPeriod: duration(),
      portRange: str(),
      windowsRunAsService: bool(),
    },
  });
}

/**
 * Fields that existed in older v1alpha1 releases and were removed; an unknown-field
 * message mentions it (kube-proxy ignores them after lenient decoding).
 */
export const REMOVED_KUBE_PROXY_FIELDS: Record<string, string> = {
  udpIdleTimeout: "removed together with the userspace proxy mode in 1.26 (kubernetes/kubernetes#112133)",
  resourceContainer: "removed in 1.16 (kubernetes/kubernetes#78294)",
  "conntrack.max": "removed in 1.15 (kubernetes/kubernetes#78399); use conntrack.maxPerCore and conntrack.min",
  "ipvs.masqueradeAll": "ipvs has no masqueradeAll; iptables.masqueradeAll applies to ipvs mode",
};
