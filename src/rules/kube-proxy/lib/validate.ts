/**
 * KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1) checks, following what
 * kube-proxy itself does with a --config file:
 *
 * 1. decode: unknown fields ("unknown-field", kube-proxy logs them and decodes leniently)
 *    and values of the wrong Go type ("wrong-type", kube-proxy exits);
 * 2. v1alpha1 defaulting (SetDefaults_KubeProxyConfiguration, zero means unset);
 * 3. conversion to the internal type and Validate() ("invalid"), with errors reported by
 *    v1alpha1 field path (as kubernetes/kubernetes field_paths_test.go does).
 *
 * Sources: kubernetes/kubernetes pkg/proxy/apis/config/{v1alpha1/defaults.go,
 * v1alpha1/conversion.go, validation/validation.go}; see
 * shared/research/cni-proxy-kubelet-spec.md section 3.
 */
import { validateKubeProxyConfig } from "../../../generated/validators.js";

import { closest } from "../../lib/closest.js";
import {
  describeValue,
  formatGoDuration,
  parseGoDuration,
  validatedConfig,
  type ConfigProblem,
} from "../../lib/config-problem.js";
import { cidrFamily, goAtoi, ipFamily, parseCIDR, parseIP, splitHostPort } from "../../../parsers/net.js";
import { kubeProxyConfigSchema, REMOVED_KUBE_PROXY_FIELDS } from "./schema.js";

export type { ConfigProblem } from "../../lib/config-problem.js";

export interface KubeProxyCheckOptions {
  /** OS kube-proxy runs on; decides the accepted proxy modes. Default "linux". */
  platform?: "linux" | "windows";
  /**
   * kube-proxy version ("1.31", "v1.33.2"). Enables version-dependent rules: the
   * nftables mode gate, the exact showHiddenMetricsForVersion value, locked feature
   * gates, single-IP bindAddress before 1.31 and the nodePortAddresses keywords
   * "localhost"/"all" (accepted from 1.38; without a version they are not flagged).
   */
  kubernetesVersion?: string;
  /**
   * Apply v1alpha1 defaulting before validation (what kube-proxy does with a file read
   * from disk). Default true. Set false to validate an already-defaulted object exactly
   * like upstream's Validate() unit tests do.
   */
  applyDefaults?: boolean;
}


// ---------------------------------------------------------------------------
// Feature gates.

/**
 * Feature gate names registered in Kubernetes' global gate (kube, apiserver, client-go,
 * component-base and controller-manager gates) across recent releases (1.2x .. 1.35),
 * including gates that were removed later. A name outside this set is reported as
 * "unrecognized feature gate" (SetFromMap fails and kube-proxy exits). Because the set is
 * a union over releases, a gate removed in the running release is not flagged.
 */
export const KNOWN_FEATURE_GATES: ReadonlySet<string> = new Set(
  `AllAlpha AllBeta
  APIListChunking APIPriorityAndFairness APIResponseCompression APISelfSubjectReview APIServerIdentity
  APIServerTracing APIServingWithRoutine Accelerators AdmissionWebhookMatchConditions
  AggregatedDiscoveryEndpoint AggregatedDiscoveryRemoveBetaType AllowDNSOnlyNodeCSR
  AllowInsecureKubeletCertificateSigningRequests AllowOverwriteTerminationGracePeriodSeconds
  AllowParsingUserUIDFromCertAuth AllowServiceLBStatusOnNonLB AllowUnsafeMalformedObjectDeletion
  AnonymousAuthConfigurableEndpoints AnyVolumeDataSource AttachVolumeLimit AuthorizeNodeWithSelectors
  AuthorizeWithSelectors BlockVolume BoundServiceAccountTokenVolume BtreeWatchCache
  CBORServingAndStorage CPUCFSQuotaPeriod CPUManager CPUManagerPolicyAlphaOptions
  CPUManagerPolicyBetaOptions CPUManagerPolicyOptions CRDValidationRatcheting CSIBlockVolume
  CSIDriverRegistry CSIInlineVolume CSIMigration CSIMigrationAWS CSIMigrationAzureDisk
  CSIMigrationAzureFile CSIMigrationGCE CSIMigrationPortworx CSIMigrationRBD CSIMigrationvSphere
  CSINodeExpandSecret CSINodeInfo CSIServiceAccountToken CSIStorageCapacity CSIVolumeFSGroupPolicy
  CSIVolumeHealth ClearingNominatedNodeNameAfterBinding ClientsAllowCBOR ClientsPreferCBOR
  CloudControllerManagerWebhook CloudDualStackNodeIPs ClusterTrustBundle ClusterTrustBundleProjection
  ComponentFlagz ComponentSLIs ComponentStatusz ConcurrentWatchObjectDecode ConfigurableFSGroupPolicy
  ConsistentHTTPGetHandlers ConsistentListFromCache ContainerCheckpoint ContainerRestartRules
  ContainerStopSignals ContextualLogging ControllerManagerLeaderMigration CoordinatedLeaderElection
  CronJobTimeZone CronJobsScheduledAnnotation CrossNamespaceVolumeDataSource CustomCPUCFSQuotaPeriod
  CustomPodDNS CustomResourceFieldSelectors CustomResourceValidationExpressions DRAAdminAccess
  DRAConsumableCapacity DRADeviceBindingConditions DRADeviceTaints DRAExtendedResource
  DRAPartitionableDevices DRAPrioritizedList DRAResourceClaimDeviceStatus DRASchedulerFilterTimeout
  DaemonSetUpdateSurge DeclarativeValidation DeclarativeValidationTakeover DefaultHostNetworkHostPortsInPodTemplates
  DefaultPodTopologySpread DelegateFSGroupToCSIDriver DeploymentReplicaSetTerminatingReplicas
  DetectCacheInconsistency DevicePluginCDIDevices DevicePlugins DisableAllocatorDualWrite
  DisableCPUQuotaWithExclusiveCPUs DisableCloudProviders DisableKubeletCloudCredentialProviders
  DisableNodeKubeProxyVersion DownwardAPIHugePages DryRun DynamicKubeletConfig DynamicResourceAllocation
  EfficientWatchResumption ElasticIndexedJob EndpointSlice EndpointSliceNodeName EndpointSliceProxying
  EndpointSliceTerminatingCondition EnvFiles EphemeralContainers EventedPLEG ExecProbeTimeout
  ExpandCSIVolumes ExpandInUsePersistentVolumes ExpandPersistentVolumes ExpandedDNSConfig
  ExternalServiceAccountTokenSigner GRPCContainerProbe GangScheduling GenericEphemeralVolume
  GitRepoVolumeDriver GracefulNodeShutdown GracefulNodeShutdownBasedOnPodPriority HPAConfigurableTolerance
  HPAContainerMetrics HPAScaleToZero HonorPVReclaimPolicy HostnameOverride HugePageStorageMediumSize
  IPTablesOwnershipCleanup IPv6DualStack IdentifyPodOS ImageMaximumGCAge ImageVolume
  ImmutableEphemeralVolumes InOrderInformers InPlacePodLevelResourcesVerticalScaling
  InPlacePodVerticalScaling InPlacePodVerticalScalingAllocatedStatus InPlacePodVerticalScalingExclusiveCPUs
  InTreePluginAWSUnregister InTreePluginAzureDiskUnregister InTreePluginAzureFileUnregister
  InTreePluginGCEUnregister InTreePluginOpenStackUnregister InTreePluginPortworxUnregister
  InTreePluginRBDUnregister InTreePluginvSphereUnregister IndexedJob InformerResourceVersion
  IngressClassNamespacedParams JobBackoffLimitPerIndex JobManagedBy JobMutableNodeSchedulingDirectives
  JobPodFailurePolicy JobPodReplacementPolicy JobReadyPods JobSuccessPolicy JobTrackingWithFinalizers
  KMSv1 KMSv2 KMSv2KDF KubeProxyDrainingTerminatingNodes KubeletCgroupDriverFromCRI
  KubeletCrashLoopBackOffMax KubeletCredentialProviders KubeletEnsureSecretPulledImages
  KubeletFineGrainedAuthz KubeletInUserNamespace KubeletPSI KubeletPodResources
  KubeletPodResourcesDynamicResources KubeletPodResourcesGet KubeletPodResourcesGetAllocatable
  KubeletPodResourcesListUseActivePods KubeletRegistrationGetOnExistsOnly KubeletSeparateDiskGC
  KubeletServiceAccountTokenForCredentialProviders KubeletTracing LegacyNodeRoleBehavior
  LegacyServiceAccountTokenCleanUp LegacyServiceAccountTokenNoAutoGeneration
  LegacyServiceAccountTokenTracking LegacySidecarContainers ListFromCacheSnapshot LoadBalancerIPMode
  LocalStorageCapacityIsolation LocalStorageCapacityIsolationFSQuotaMonitoring LogarithmicScaleDown
  LoggingAlphaOptions LoggingBetaOptions MatchLabelKeysInPodAffinity MatchLabelKeysInPodTopologySpread
  MaxUnavailableStatefulSet MemoryManager MemoryQoS MinDomainsInPodTopologySpread MinimizeIPTablesRestore
  MixedProtocolLBService MountPropagation MultiCIDRServiceAllocator MutableCSINodeAllocatableCount
  MutablePVNodeAffinity MutatingAdmissionPolicy NFTablesProxyMode NamespaceDefaultLabelName
  NetworkPolicyEndPort NetworkPolicyStatus NewVolumeManagerReconstruction NodeDeclaredFeatures
  NodeDisruptionExclusion NodeInclusionPolicyInPodTopologySpread NodeLease NodeLogQuery
  NodeOutOfServiceVolumeDetach NodeSwap NonPreemptingPriority OpenAPIEnums OpenAPIV3
  OpportunisticBatching OrderedNamespaceDeletion PDBUnhealthyPodEvictionPolicy
  PersistentVolumeLastPhaseTransitionTime PodAffinityNamespaceSelector PodAndContainerStatsFromCRI
  PodCertificateRequest PodDeletionCost PodDisruptionConditions PodHostIPs PodIndexLabel
  PodLevelResources PodLifecycleSleepAction PodLifecycleSleepActionAllowZero PodLogsQuerySplitStreams
  PodObservedGenerationTracking PodOverhead PodReadyToStartContainersCondition PodSchedulingReadiness
  PodSecurity PodShareProcessNamespace PodTopologyLabelsAdmission PortForwardWebsockets
  PreferNominatedNode PreferSameTrafficDistribution PreventStaticPodAPIReferences
  ProbeHostPodSecurityStandards ProbeTerminationGracePeriod ProcMountType ProxyTerminatingEndpoints
  QOSReserved ReadWriteOncePod RecoverVolumeExpansionFailure RecursiveReadOnlyMounts
  ReduceDefaultCrashLoopBackOffDecay RelaxedDNSSearchValidation RelaxedEnvironmentVariableValidation
  RelaxedServiceNameValidation ReloadKubeletServerCertificateFile RemainingItemCount
  RemoteRequestHeaderUID RemoveSelfLink ResilientWatchCacheInitialization ResourceHealthStatus
  RetroactiveDefaultStorageClass RetryGenerateName RootCAConfigMap RotateKubeletServerCertificate
  RunAsGroup RuntimeClass RuntimeClassInImageCriApi SCTPSupport SELinuxChangePolicy SELinuxMount
  SELinuxMountReadWriteOncePod SchedulerAsyncAPICalls SchedulerAsyncPreemption SchedulerPopFromBackoffQ
  SchedulerQueueingHints SeccompDefault SecurityContextDeny SeparateCacheWatchRPC
  SeparateTaintEvictionController ServerSideApply ServerSideFieldValidation ServiceAccountIssuerDiscovery
  ServiceAccountNodeAudienceRestriction ServiceAccountTokenJTI ServiceAccountTokenNodeBinding
  ServiceAccountTokenNodeBindingValidation ServiceAccountTokenPodNodeInfo ServiceAppProtocol
  ServiceIPStaticSubrange ServiceInternalTrafficPolicy ServiceLBNodePortControl ServiceLoadBalancerClass
  ServiceNodeExclusion ServiceTopology ServiceTrafficDistribution SetHostnameAsFQDN SidecarContainers
  SizeBasedListCostEstimate SizeMemoryBackedVolumes StableLoadBalancerNodeSet StartupProbe
  StatefulSetAutoDeletePVC StatefulSetMinReadySeconds StatefulSetStartOrdinal StorageCapacityScoring
  StorageNamespaceIndex StorageObjectInUseProtection StorageVersionAPI StorageVersionHash
  StorageVersionMigrator StreamingCollectionEncodingToJSON StreamingCollectionEncodingToProtobuf
  StrictCostEnforcementForVAP StrictCostEnforcementForWebhooks StrictIPCIDRValidation
  StructuredAuthenticationConfiguration StructuredAuthenticationConfigurationEgressSelector
  StructuredAuthorizationConfiguration SupplementalGroupsPolicy SupportIPVSProxyMode SupportNodePidsLimit
  SupportPodPidsLimit SuspendJob SystemdWatchdog TTLAfterFinished TaintBasedEvictions TokenRequest
  TokenRequestProjection TokenRequestServiceAccountUIDValidation TopologyAwareHints TopologyManager
  TopologyManagerPolicyAlphaOptions TopologyManagerPolicyBetaOptions TopologyManagerPolicyOptions
  TranslateStreamCloseWebsocketRequests UnauthenticatedHTTP2DOSMitigation
  UnknownVersionInteroperabilityProxy UserNamespacesPodSecurityStandards UserNamespacesStatelessPodsSupport
  UserNamespacesSupport ValidateProxyRedirects ValidatingAdmissionPolicy VolumeAttributesClass
  VolumeCapacityPriority VolumePVCDataSource VolumeSnapshotDataSource VolumeSubpath WarningHeaders
  WatchBookmark WatchCacheInitializationPostStartHook WatchFromStorageWithoutResourceVersion WatchList
  WatchListClient WinDSR WinOverlay WindowsCPUAndMemoryAffinity WindowsEndpointSliceProxying
  WindowsGracefulNodeShutdown WindowsHostNetwork WindowsHostProcessContainers`
    .split(/\s+/)
    .filter((s) => s !== ""),
);

/** Gates locked to a value from a release on (setting the other value fails SetFromMap). */
const LOCKED_FEATURE_GATES: ReadonlyArray<{ name: string; value: boolean; since: [number, number] }> = [
  { name: "NFTablesProxyMode", value: true, since: [1, 33] },
  { name: "TopologyAwareHints", value: true, since: [1, 33] },
  { name: "ServiceTrafficDistribution", value: true, since: [1, 33] },
  { name: "AllowServiceLBStatusOnNonLB", value: false, since: [1, 32] },
];

// ---------------------------------------------------------------------------
// Small helpers.

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  if (v === undefined || v === null) {
    const fresh: Obj = {};
    o[key] = fresh;
    return fresh;
  }
  // Wrong type: give the caller a detached object so defaulting cannot clobber it.
  return {};
}

/** Unset in Go terms: absent or JSON null. */
function unset(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Zero-valued non-pointer duration (absent, null, "", "0s", "0m", ...). */
function zeroDuration(v: unknown): boolean {
  if (unset(v)) return true;
  return typeof v === "string" && parseGoDuration(v) === 0;
}

export interface ParsedVersion {
  major: number;
  minor: number;
}

export function parseKubernetesVersion(v: string | undefined): ParsedVersion | undefined {
  if (!v) return undefined;
  const m = /^v?(\d+)\.(\d+)/.exec(v.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

function atLeast(v: ParsedVersion | undefined, major: number, minor: number): boolean {
  if (!v) return false;
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** proxyutil.AppendPortIfNeeded. */
function appendPortIfNeeded(addr: string, port: number): string {
  if (splitHostPort(addr)) return addr;
  const ip = parseIP(addr, { sloppy: true });
  if (!ip) return addr;
  return ipFamily(ip) === 4 ? `${addr}:${port}` : `[${addr}]:${port}`;
}

// ---------------------------------------------------------------------------
// Defaulting.

/**
 * kube-proxy's v1alpha1 defaulting (SetDefaults_KubeProxyConfiguration plus the logging
 * recommendations), returning a new object. Non-pointer fields are defaulted when zero
 * (so `syncPeriod: 0s` becomes 30s and `burst: 0` becomes 10); pointer fields
 * (oomScoreAdj, masqueradeBit, conntrack.*) only when absent/null. Values of the wrong
 * type are left alone.
 */
export function applyKubeProxyDefaults(config: Record<string, unknown>): Record<string, unknown> {
  const c = structuredClone(config) as Obj;

  if (unset(c.bindAddress) || c.bindAddress === "") c.bindAddress = "0.0.0.0";
  const bindIP = typeof c.bindAddress === "string" ? parseIP(c.bindAddress, { sloppy: true }) : null;
  const v4 = bindIP !== null && ipFamily(bindIP) === 4;
  const [healthzHost, metricsHost] = v4 ? ["0.0.0.0", "127.0.0.1"] : ["[::]", "[::1]"];
  if (unset(c.healthzBindAddress) || c.healthzBindAddress === "") c.healthzBindAddress = `${healthzHost}:10256`;
  else if (typeof c.healthzBindAddress === "string")
    c.healthzBindAddress = appendPortIfNeeded(c.healthzBindAddress, 10256);
  if (unset(c.metricsBindAddress) || c.metricsBindAddress === "") c.metricsBindAddress = `${metricsHost}:10249`;
  else if (typeof c.metricsBindAddress === "string")
    c.metricsBindAddress = appendPortIfNeeded(c.metricsBindAddress, 10249);

  if (unset(c.oomScoreAdj)) c.oomScoreAdj = -999;

  const iptables = child(c, "iptables");
  if (zeroDuration(iptables.syncPeriod)) iptables.syncPeriod = "30s";
  if (zeroDuration(iptables.minSyncPeriod)) iptables.minSyncPeriod = "1s";
  if (unset(iptables.localhostNodePorts)) iptables.localhostNodePorts = true;
  if (unset(iptables.masqueradeBit)) iptables.masqueradeBit = 14;

  const nftables = child(c, "nftables");
  if (unset(nftables.masqueradeBit)) nftables.masqueradeBit = 14;

  // The ipvs / nftables sync periods are defaulted for the active mode only (see the
  // after/v1alpha1.yaml fixture: both stay 0s when mode is "").
  if (c.mode === "ipvs" || c.mode === "nftables") {
    const block = child(c, c.mode);
    if (zeroDuration(block.syncPeriod)) block.syncPeriod = "30s";
    if (zeroDuration(block.minSyncPeriod)) block.minSyncPeriod = "1s";
  }

  const conntrack = child(c, "conntrack");
  if (unset(conntrack.maxPerCore)) conntrack.maxPerCore = 32768;
  if (unset(conntrack.min)) conntrack.min = 131072;
  if (unset(conntrack.tcpEstablishedTimeout)) conntrack.tcpEstablishedTimeout = "24h0m0s";
  if (unset(conntrack.tcpCloseWaitTimeout)) conntrack.tcpCloseWaitTimeout = "1h0m0s";

  if (zeroDuration(c.configSyncPeriod)) c.configSyncPeriod = "15m0s";

  const cc = child(c, "clientConnection");
  if (unset(cc.contentType) || cc.contentType === "") cc.contentType = "application/vnd.kubernetes.protobuf";
  if (unset(cc.qps) || cc.qps === 0) cc.qps = 5;
  if (unset(cc.burst) || cc.burst === 0) cc.burst = 10;

  if (unset(c.featureGates)) c.featureGates = {};

  const logging = child(c, "logging");
  if (unset(logging.format) || logging.format === "") logging.format = "text";
  if (unset(logging.flushFrequency) || logging.flushFrequency === 0 || zeroDuration(logging.flushFrequency))
    logging.flushFrequency = "5s";

  return c;
}

// ---------------------------------------------------------------------------
// Validation.

/**
 * A problem with, for some fields, a more precise place than the field itself: a feature gate's
 * key inside `featureGates`.
 */
export interface KubeProxyProblem extends ConfigProblem {
  /** Path segments of the exact node the problem is about, when narrower than `field`. */
  at?: { path: (string | number)[]; part: "key" | "value" };
}

class Reporter {
  readonly problems: KubeProxyProblem[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly badPaths: ReadonlySet<string>) {}

  /** Report an "invalid" problem unless the field (or a related one) had the wrong type. */
  invalid(field: string, message: string, related: string[] = [], at?: KubeProxyProblem["at"]): void {
    for (const f of [field, ...related]) {
      for (const bad of this.badPaths) {
        // Skip the field itself and anything below a wrongly typed value.
        if (f === bad || f.startsWith(`${bad}.`) || f.startsWith(`${bad}[`)) return;
      }
    }
    const key = `${field}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(at ? { kind: "invalid", field, message, at } : { kind: "invalid", field, message });
  }
}

function int(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

function dur(v: unknown): number | undefined {
  if (unset(v)) return 0; // Go zero value
  if (typeof v !== "string") return undefined;
  const d = parseGoDuration(v);
  return d === null ? undefined : d;
}

function strOr(v: unknown, dflt = ""): string | undefined {
  if (unset(v)) return dflt;
  return typeof v === "string" ? v : undefined;
}

function checkHostPort(r: Reporter, field: string, value: string): void {
  const hp = splitHostPort(value);
  if (!hp) {
    r.invalid(field, `${field} ${JSON.stringify(value)} must be IP:port (e.g. "0.0.0.0:10256" or "[::]:10256")`);
    return;
  }
  if (!parseIP(hp.host, { sloppy: true })) {
    r.invalid(field, `${field} ${JSON.stringify(value)}: host ${JSON.stringify(hp.host)} must be a valid IP (host names are not allowed)`);
  }
  const p = goAtoi(hp.port);
  if (p === null || p < 1 || p > 65535) {
    r.invalid(field, `${field} ${JSON.stringify(value)}: port ${JSON.stringify(hp.port)} must be a valid port (1-65535)`);
  }
}

const LOCAL_MODES = ["ClusterCIDR", "NodeCIDR", "BridgeInterface", "InterfaceNamePrefix", ""];

function checkMasqueradeBit(r: Reporter, field: string, v: unknown): void {
  const bit = int(v);
  if (bit !== undefined && (bit < 0 || bit > 31)) {
    r.invalid(field, `${field} ${bit} must be within the range [0, 31]`);
  }
}

function checkNonNegativeDuration(r: Reporter, field: string, v: unknown): void {
  const d = dur(v);
  if (d !== undefined && d < 0) {
    r.invalid(field, `${field} ${JSON.stringify(v)} must be greater than or equal to 0`);
  }
}

function validateFeatureGates(r: Reporter, c: Obj, version: ParsedVersion | undefined): void {
  const gates = c.featureGates;
  if (!isObj(gates)) return;
  for (const [name, value] of Object.entries(gates)) {
    if (!KNOWN_FEATURE_GATES.has(name)) {
      const s = closest(name, KNOWN_FEATURE_GATES);
      r.invalid(
        "featureGates",
        `unrecognized feature gate: ${name}${s ? ` (did you mean "${s}"?)` : ""}; kube-proxy fails to start`,
        [],
        { path: ["featureGates", name], part: "key" },
      );
      continue;
    }
    if (typeof value !== "boolean") continue;
    for (const locked of LOCKED_FEATURE_GATES) {
      if (locked.name === name && value !== locked.value && atLeast(version, locked.since[0], locked.since[1])) {
        r.invalid(
          "featureGates",
          `cannot set feature gate ${name} to ${value}, feature is locked to ${locked.value} since ${locked.since.join(".")}`,
          [],
          { path: ["featureGates", name], part: "value" },
        );
      }
    }
  }
}

function nftablesAllowed(c: Obj, version: ParsedVersion | undefined): boolean {
  if (!version) return true;
  const gates = isObj(c.featureGates) ? c.featureGates : {};
  const gate = gates.NFTablesProxyMode;
  if (atLeast(version, 1, 33)) return true;
  if (atLeast(version, 1, 31)) return gate !== false;
  if (atLeast(version, 1, 29)) return gate === true;
  return false;
}

function validateMode(r: Reporter, c: Obj, platform: "linux" | "windows", version: ParsedVersion | undefined): void {
  const mode = strOr(c.mode);
  if (mode === undefined || mode === "") return;
  if (platform === "windows") {
    if (mode !== "kernelspace") {
      r.invalid(
        "mode",
        `mode ${JSON.stringify(mode)} is not supported on Windows: must be kernelspace or blank (blank means the most-available proxy [currently kernelspace])`,
      );
    }
    return;
  }
  const valid = ["iptables", "ipvs"];
  if (nftablesAllowed(c, version)) valid.push("nftables");
  if (!valid.includes(mode)) {
    let msg = `mode ${JSON.stringify(mode)} is not supported on Linux: must be ${valid.join(", ")} or blank (blank means the best-available proxy [currently iptables])`;
    if (mode === "nftables") {
      msg += version && !atLeast(version, 1, 29)
        ? "; the nftables mode needs kube-proxy 1.29 or later"
        : "; enable the NFTablesProxyMode feature gate for this release";
    }
    r.invalid("mode", msg);
  }
}

function validateSyncPeriods(r: Reporter, c: Obj): void {
  const mode = c.mode;
  const block = mode === "ipvs" || mode === "nftables" ? (mode as string) : "iptables";
  const section = c[block];
  if (!unset(section) && !isObj(section)) return;
  const s = isObj(section) ? section : {};
  const syncField = `${block}.syncPeriod`;
  const minField = `${block}.minSyncPeriod`;
  const sync = dur(s.syncPeriod);
  const min = dur(s.minSyncPeriod);
  if (sync !== undefined && sync <= 0) {
    r.invalid(syncField, `${syncField} ${JSON.stringify(s.syncPeriod ?? "0s")} must be greater than 0`);
  }
  if (min !== undefined && min < 0) {
    r.invalid(minField, `${minField} ${JSON.stringify(s.minSyncPeriod)} must be greater than or equal to 0`);
  }
  if (sync !== undefined && min !== undefined && min > sync) {
    r.invalid(
      syncField,
      `${syncField} (${formatGoDuration(sync)}) must be greater than or equal to ${minField} (${formatGoDuration(min)})`,
      [minField],
    );
  }
}

function validateBindAddress(r: Reporter, c: Obj, version: ParsedVersion | undefined): void {
  const value = strOr(c.bindAddress);
  if (value === undefined || value === "") return;
  if (version && !atLeast(version, 1, 31)) {
    if (!parseIP(value, { sloppy: true })) {
      r.invalid("bindAddress", `bindAddress ${JSON.stringify(value)} is not a valid textual representation of an IP address`);
    }
    return;
  }
  const items = value.split(",");
  if (items.length > 2) {
    r.invalid(
      "bindAddress",
      `bindAddress ${JSON.stringify(value)} must be either a single IP or a dual-stack pair of IPs (e.g. "10.100.0.0,fde4:8dba:82e1::")`,
    );
    return;
  }
  const parsed = items.map((item) => parseIP(item, { sloppy: true }));
  let ok = true;
  parsed.forEach((ip, i) => {
    if (!ip) {
      ok = false;
      const which = items.length > 1 ? ` item ${i} ${JSON.stringify(items[i])}` : ` ${JSON.stringify(value)}`;
      r.invalid("bindAddress", `bindAddress${which} must be a valid IP (e.g. 10.100.0.0 or fde4:8dba:82e1::); a port is not allowed`);
    }
  });
  if (ok && parsed.length === 2 && ipFamily(parsed[0]!) === ipFamily(parsed[1]!)) {
    r.invalid(
      "bindAddress",
      `bindAddress ${JSON.stringify(value)} must be either a single IP or a dual-stack pair of IPs (one IPv4, one IPv6)`,
    );
  }
}

function validateNodePortAddresses(r: Reporter, c: Obj, version: ParsedVersion | undefined): void {
  const list = c.nodePortAddresses;
  if (!Array.isArray(list)) return;
  // "localhost" and "all" are keywords from 1.38 on (kubernetes/kube-proxy a49df23); with an
  // unknown version they are not flagged.
  const newKeywords = !version || atLeast(version, 1, 38);
  const anyCombination = version !== undefined && atLeast(version, 1, 38);
  for (let i = 0; i < list.length; i++) {
    const entry = unset(list[i]) ? "" : list[i];
    if (typeof entry !== "string") continue;
    const field = `nodePortAddresses[${i}]`;
    if (entry === "primary" && !anyCombination) {
      if (i !== 0 || list.length !== 1) {
        r.invalid(field, `${field} "primary" can't be combined with CIDRs: use either ["primary"] or a list of CIDRs`);
      }
      break;
    }
    if (newKeywords && (entry === "localhost" || entry === "all" || entry === "primary")) continue;
    if (!parseCIDR(entry, { sloppy: true })) {
      const hint = parseIP(entry, { sloppy: true }) ? ` (an address needs a prefix length, e.g. "${entry}/${entry.includes(":") ? 128 : 32}")` : "";
      r.invalid(field, `${field} ${JSON.stringify(entry)} must be a valid CIDR or "primary"${hint}`);
    }
  }
}

function validateShowHiddenMetrics(r: Reporter, c: Obj, version: ParsedVersion | undefined): void {
  const v = strOr(c.showHiddenMetricsForVersion);
  if (v === undefined || v === "") return;
  if (version) {
    const expected = `${version.major}.${version.minor - 1}`;
    if (v !== expected) {
      r.invalid(
        "showHiddenMetricsForVersion",
        `showHiddenMetricsForVersion ${JSON.stringify(v)} must be omitted or have the value '${expected}'; only the previous minor version is allowed`,
      );
    }
  } else if (!/^\d+\.\d+$/.test(v)) {
    r.invalid(
      "showHiddenMetricsForVersion",
      `showHiddenMetricsForVersion ${JSON.stringify(v)} must be omitted or be the previous minor version of kube-proxy (e.g. "1.32")`,
    );
  }
}

function validateDetectLocal(r: Reporter, c: Obj): void {
  const mode = strOr(c.detectLocalMode);
  if (mode === undefined) return;
  if (!LOCAL_MODES.includes(mode)) {
    r.invalid(
      "detectLocalMode",
      `detectLocalMode ${JSON.stringify(mode)} is not supported: supported values are "ClusterCIDR", "NodeCIDR", "BridgeInterface", "InterfaceNamePrefix" or ""`,
    );
    return;
  }
  const dl = isObj(c.detectLocal) ? c.detectLocal : {};
  if (mode === "BridgeInterface") {
    const v = strOr(dl.bridgeInterface);
    if (v === "") r.invalid("detectLocal.bridgeInterface", `detectLocal.bridgeInterface must not be empty when detectLocalMode is BridgeInterface`);
  } else if (mode === "InterfaceNamePrefix") {
    const v = strOr(dl.interfaceNamePrefix);
    if (v === "") r.invalid("detectLocal.interfaceNamePrefix", `detectLocal.interfaceNamePrefix must not be empty when detectLocalMode is InterfaceNamePrefix`);
  } else if (mode === "ClusterCIDR") {
    const value = strOr(c.clusterCIDR);
    if (value === undefined || value === "") return;
    const items = value.split(",");
    if (items.length > 2) {
      r.invalid(
        "clusterCIDR",
        `clusterCIDR ${JSON.stringify(value)} must be either a single CIDR or a dual-stack pair of CIDRs (e.g. "10.100.0.0/16,fde4:8dba:82e1::/48"), got ${items.length} entries`,
      );
      return;
    }
    const parsed = items.map((item) => parseCIDR(item, { sloppy: true }));
    let ok = true;
    parsed.forEach((cidr, i) => {
      if (!cidr) {
        ok = false;
        r.invalid(
          "clusterCIDR",
          `clusterCIDR entry ${JSON.stringify(items[i])} must be a valid CIDR block (e.g. 10.100.0.0/16 or fde4:8dba:82e1::/48)`,
        );
      }
    });
    if (ok && parsed.length === 2 && cidrFamily(parsed[0]!) === cidrFamily(parsed[1]!)) {
      r.invalid(
        "clusterCIDR",
        `clusterCIDR ${JSON.stringify(value)} must be either a single CIDR or a dual-stack pair of CIDRs (one IPv4, one IPv6)`,
      );
    }
  }
}

function gateEnabled(c: Obj, name: string, dflt: boolean): boolean {
  const gates = isObj(c.featureGates) ? c.featureGates : {};
  const v = gates[name];
  if (typeof v === "boolean") return v;
  if (name.endsWith("AlphaOptions") && typeof gates.AllAlpha === "boolean") return gates.AllAlpha;
  if (name.endsWith("BetaOptions") && typeof gates.AllBeta === "boolean") return gates.AllBeta;
  return dflt;
}

function quantityNonZero(v: unknown): boolean {
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return !/^[+-]?0*(\.0*)?([a-zA-Z]*)$/.test(v.trim()) && v.trim() !== "";
  return false;
}

/** logsapi.Validate for the options a config file can set. */
export function validateLogging(r: Reporter, c: Obj, prefix = "logging"): void {
  const logging = c.logging;
  if (!isObj(logging)) return;
  const format = strOr(logging.format);
  if (format !== undefined) {
    if (format !== "text" && format !== "json") {
      r.invalid(`${prefix}.format`, `${prefix}.format ${JSON.stringify(format)}: unsupported log format (supported: "text", "json")`);
    } else if (format === "json" && !gateEnabled(c, "LoggingBetaOptions", true)) {
      r.invalid(`${prefix}.format`, `${prefix}.format "json" is disabled: the LoggingBetaOptions feature gate is off`);
    }
  }
  const vmodule = logging.vmodule;
  if (Array.isArray(vmodule)) {
    if (vmodule.length > 0 && format !== undefined && format !== "" && format !== "text") {
      r.invalid(`${prefix}.vmodule`, `${prefix}.vmodule is only supported for the text log format`);
    }
    vmodule.forEach((item, i) => {
      if (!isObj(item)) return;
      const fp = strOr(item.filePattern);
      if (fp === "") r.invalid(`${prefix}.vmodule[${i}]`, `${prefix}.vmodule[${i}].filePattern must not be empty`);
      else if (fp !== undefined && /[=,]/.test(fp))
        r.invalid(`${prefix}.vmodule[${i}]`, `${prefix}.vmodule[${i}].filePattern ${JSON.stringify(fp)} must not contain an equal sign or comma`);
      const v = int(item.verbosity);
      if (v !== undefined && v > 2147483647)
        r.invalid(`${prefix}.vmodule[${i}]`, `${prefix}.vmodule[${i}].verbosity ${v} must be <= 2147483647`);
    });
  }
  const verbosity = int(logging.verbosity);
  if (verbosity !== undefined && verbosity > 2147483647) {
    r.invalid(`${prefix}.verbosity`, `${prefix}.verbosity ${verbosity} must be <= 2147483647`);
  }
  const options = logging.options;
  if (isObj(options)) {
    const alpha = gateEnabled(c, "LoggingAlphaOptions", false);
    for (const fmt of ["text", "json"]) {
      const o = options[fmt];
      if (!isObj(o) || alpha) continue;
      if (o.splitStream === true)
        r.invalid(`${prefix}.options.${fmt}.splitStream`, `${prefix}.options.${fmt}.splitStream needs the LoggingAlphaOptions feature gate`);
      if (quantityNonZero(o.infoBufferSize))
        r.invalid(`${prefix}.options.${fmt}.infoBufferSize`, `${prefix}.options.${fmt}.infoBufferSize ${describeValue(o.infoBufferSize)} needs the LoggingAlphaOptions feature gate`);
    }
  }
}

export { Reporter as ProblemReporter };

/** The semantic part: Validate() on the (defaulted) config, with v1alpha1 field paths. */
function validateSemantics(r: Reporter, c: Obj, platform: "linux" | "windows", version: ParsedVersion | undefined): void {
  validateFeatureGates(r, c, version);

  const iptables = isObj(c.iptables) ? c.iptables : {};
  checkMasqueradeBit(r, "iptables.masqueradeBit", iptables.masqueradeBit);

  if (c.mode === "ipvs") {
    const ipvs = isObj(c.ipvs) ? c.ipvs : {};
    checkNonNegativeDuration(r, "ipvs.tcpTimeout", ipvs.tcpTimeout);
    checkNonNegativeDuration(r, "ipvs.tcpFinTimeout", ipvs.tcpFinTimeout);
    checkNonNegativeDuration(r, "ipvs.udpTimeout", ipvs.udpTimeout);
    if (Array.isArray(ipvs.excludeCIDRs)) {
      ipvs.excludeCIDRs.forEach((entry, i) => {
        const e = unset(entry) ? "" : entry;
        if (typeof e !== "string") return;
        if (!parseCIDR(e, { sloppy: true })) {
          r.invalid(`ipvs.excludeCIDRs[${i}]`, `ipvs.excludeCIDRs[${i}] ${JSON.stringify(e)} must be a valid CIDR`);
        }
      });
    }
  } else if (c.mode === "nftables") {
    const nft = isObj(c.nftables) ? c.nftables : {};
    checkMasqueradeBit(r, "nftables.masqueradeBit", nft.masqueradeBit);
  }

  // Linux settings (conntrack and oomScoreAdj are flattened in v1alpha1).
  const ct = isObj(c.conntrack) ? c.conntrack : {};
  for (const key of ["maxPerCore", "min"]) {
    const v = int(ct[key]);
    if (v !== undefined && v < 0) r.invalid(`conntrack.${key}`, `conntrack.${key} ${v} must be greater than or equal to 0`);
  }
  for (const key of ["tcpEstablishedTimeout", "tcpCloseWaitTimeout", "udpTimeout", "udpStreamTimeout"]) {
    checkNonNegativeDuration(r, `conntrack.${key}`, ct[key]);
  }
  const oom = int(c.oomScoreAdj);
  if (oom !== undefined && (oom < -1000 || oom > 1000)) {
    r.invalid("oomScoreAdj", `oomScoreAdj ${oom} must be within the range [-1000, 1000]`);
  }

  validateMode(r, c, platform, version);

  const cc = isObj(c.clientConnection) ? c.clientConnection : {};
  const burst = int(cc.burst);
  if (burst !== undefined && burst < 0) {
    r.invalid("clientConnection.burst", `clientConnection.burst ${burst} must be greater than or equal to 0`);
  }

  const csp = dur(c.configSyncPeriod);
  if (csp !== undefined && csp <= 0) {
    r.invalid("configSyncPeriod", `configSyncPeriod ${JSON.stringify(c.configSyncPeriod ?? "0s")} must be greater than 0`);
  }
  validateSyncPeriods(r, c);

  validateBindAddress(r, c, version);

  const healthz = strOr(c.healthzBindAddress);
  if (healthz !== undefined && healthz !== "") checkHostPort(r, "healthzBindAddress", healthz);
  const metrics = strOr(c.metricsBindAddress);
  if (metrics !== undefined) checkHostPort(r, "metricsBindAddress", metrics);

  validateNodePortAddresses(r, c, version);
  validateShowHiddenMetrics(r, c, version);
  validateDetectLocal(r, c);
  validateLogging(r, c);
}

/** Removed/misplaced field notes for unknown-field messages. */
function unknownNote(path: string): string | undefined {
  const note = Object.hasOwn(REMOVED_KUBE_PROXY_FIELDS, path) ? REMOVED_KUBE_PROXY_FIELDS[path] : undefined;
  return note === undefined || note === "" ? undefined : note;
}

/**
 * Check a KubeProxyConfiguration object (as parsed from YAML/JSON). Reports unknown
 * fields and type errors first, then applies kube-proxy's defaulting and reports what its
 * validation rejects. Invalid-checks only run on values of the right type.
 */
export function checkKubeProxyConfig(config: unknown, opts: KubeProxyCheckOptions = {}): KubeProxyProblem[] {
  if (!isObj(config)) {
    return [
      {
        kind: "wrong-type",
        field: "",
        message: `a KubeProxyConfiguration must be a mapping, got ${describeValue(config)}`,
      },
    ];
  }
  // Compiled ahead of time (scripts/gen-validators.mjs).
  const { problems, badPaths, known } = validatedConfig(kubeProxyConfigSchema(), validateKubeProxyConfig, config, (name, candidates) => closest(name, candidates), unknownNote);
  const platform = opts.platform ?? "linux";
  const version = parseKubernetesVersion(opts.kubernetesVersion);
  const effective = opts.applyDefaults === false ? config : applyKubeProxyDefaults(known);
  const r = new Reporter(badPaths);
  validateSemantics(r, effective, platform, version);
  return [...problems, ...r.problems];
}
