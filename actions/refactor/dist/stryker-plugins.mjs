import { createRequire as __stewardCreateRequire } from 'node:module';
import { dirname as __stewardDirname } from 'node:path';
import { fileURLToPath as __stewardFileURLToPath } from 'node:url';
const require = __stewardCreateRequire(import.meta.url);
const __filename = __stewardFileURLToPath(import.meta.url);
const __dirname = __stewardDirname(__filename);

// src/stryker/plugins.ts
var ARID_IGNORER_NAME = "steward-arid";
var PROGRESS_REPORTER_NAME = "steward-progress";
var ARID_CALLS_ENV = "STEWARD_ARID_CALLS";
var BUILT_IN_ARID_CALLS = [
  "console.*",
  "logger.*",
  "log.*",
  "debug",
  "debug.*",
  "telemetry.*"
];
var PATTERN = /^(?:[A-Za-z_$][\w$]*|\*)(?:\.(?:[A-Za-z_$][\w$]*|\*))*$/;
function aridPatternProblem(pattern) {
  return PATTERN.test(pattern) ? void 0 : `"${pattern}" is not a call pattern: use dotted names with * for one segment, like "console.*" or "logger.debug"`;
}
function matchesCall(pattern, callee) {
  const want = pattern.split(".");
  const have = callee.split(".");
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    if (segment === "*" && i === want.length - 1) return have.length >= want.length;
    if (i >= have.length || segment !== "*" && segment !== have[i]) return false;
  }
  return have.length === want.length;
}
function calleeName(node) {
  if (typeof node !== "object" || node === null) return void 0;
  const n = node;
  if (n.type === "Identifier") return n.name;
  if (n.type === "ThisExpression") return "this";
  if ((n.type === "MemberExpression" || n.type === "OptionalMemberExpression") && !n.computed) {
    const object = calleeName(n.object);
    const property = n.property;
    if (object === void 0 || property.type !== "Identifier") return void 0;
    return `${object}.${property.name}`;
  }
  return void 0;
}
function readExtraPatterns() {
  const raw = process.env[ARID_CALLS_ENV];
  if (raw === void 0 || raw === "") return [];
  const parsed = JSON.parse(raw);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) {
    throw new Error(`${ARID_CALLS_ENV} must be a JSON array of strings, got ${raw}`);
  }
  const bad = parsed.map(aridPatternProblem).find((p) => p !== void 0);
  if (bad !== void 0) throw new Error(`${ARID_CALLS_ENV}: ${bad}`);
  return parsed;
}
function aridCallOf(node) {
  let current = node;
  if (current?.type === "ExpressionStatement") current = current.expression;
  if (current?.type === "AwaitExpression") current = current.argument;
  return current?.type === "CallExpression" || current?.type === "OptionalCallExpression" ? current : void 0;
}
function createAridIgnorer(extra) {
  const patterns = [...BUILT_IN_ARID_CALLS, ...extra];
  return {
    shouldIgnore(path) {
      const node = aridCallOf(path.node);
      if (node === void 0) return void 0;
      const name = calleeName(node.callee);
      if (name === void 0) return void 0;
      const bare = name.startsWith("this.") ? name.slice("this.".length) : name;
      const hit = patterns.find((pattern) => matchesCall(pattern, bare));
      return hit === void 0 ? void 0 : `Steward: arid call ${bare}(\u2026) matches "${hit}"`;
    }
  };
}
var toRun = /* @__PURE__ */ new Set();
var mutantsTested = 0;
var REPORTED_FIELDS = [
  "id",
  "mutatorName",
  "replacement",
  "description",
  "location",
  "status",
  "statusReason",
  "coveredBy",
  "killedBy",
  "testsCompleted",
  "static",
  "duration"
];
function reportedMutant(result) {
  const out = { fileName: result.fileName };
  for (const field of REPORTED_FIELDS) {
    const value = result[field];
    if (value !== void 0) out[field] = value;
  }
  return out;
}
function send(message) {
  process.send?.(message);
}
var progressReporter = {
  onMutationTestingPlanReady({
    mutantPlans
  }) {
    mutantPlans.filter((p) => p.plan === "Run").forEach((p) => toRun.add(p.mutant.id));
    send({ type: "plan", run: toRun.size, early: mutantPlans.length - toRun.size });
  },
  onMutantTested(result) {
    send({ type: "result", planned: toRun.has(result.id), mutant: reportedMutant(result) });
    if (!toRun.has(result.id)) return;
    mutantsTested++;
    send({ type: "tested", tested: mutantsTested, total: toRun.size });
  }
};
var strykerPlugins = [
  { kind: "Ignore", name: ARID_IGNORER_NAME, value: createAridIgnorer(readExtraPatterns()) },
  { kind: "Reporter", name: PROGRESS_REPORTER_NAME, value: progressReporter }
];
export {
  ARID_CALLS_ENV,
  ARID_IGNORER_NAME,
  BUILT_IN_ARID_CALLS,
  PROGRESS_REPORTER_NAME,
  aridPatternProblem,
  createAridIgnorer,
  matchesCall,
  strykerPlugins
};
