/**
 * onnxruntime's error messages in words a person can act on. Its messages carry error codes, C++
 * source paths and function signatures; the parts worth keeping are the operator, the node and the
 * status message.
 */

/** Longest explanation returned: 400 characters. */
export const MAX_ORT_MESSAGE = 400;

/** Whether an error from onnxruntime-web means its WebAssembly memory ran out or its instance trapped. */
export function isOrtMemoryError(message: string): boolean {
  return /memory access out of bounds|out of memory|Aborted\(|bad_alloc|Array buffer allocation failed|Maximum call stack|unreachable/i.test(message);
}

/**
 * Rewrites an onnxruntime-web error message (session creation or `run`) into one sentence:
 * - an operator it has no kernel for names the operator and its opset;
 * - an operator of an unknown domain names the domain and the operator;
 * - a node that failed while running names its op and node, and keeps ort's status message;
 * - running out of WebAssembly memory says so;
 * - anything else loses ort's prefixes (error codes, source paths) and is cut to `MAX_ORT_MESSAGE`.
 */
export function explainOrtError(raw: string): string {
  const msg = raw.replace(/\s+/g, ' ').trim();
  let m = /No Op registered for (\S+?) with domain_version of (\d+)/.exec(msg);
  if (m) {
    return cut(
      `onnxruntime-web has no kernel for the operator '${m[1]}' (opset ${m[2]}): it is not a standard ONNX operator, or it is newer than this onnxruntime. ` +
        'Export the model with standard operators or an older opset.',
    );
  }
  m = /([\w.]*):(\w+)\((-?\d+)\) is not a registered function\/op/.exec(msg);
  if (m) {
    const domain = m[1] || 'ai.onnx';
    return cut(`onnxruntime-web does not know the operator '${m[2]}' of domain '${domain}' (a custom operator?).`);
  }
  m = /Could not find an implementation for (\w+)\((\d+)\) node with name '([^']*)'/.exec(msg);
  if (m) {
    return cut(
      `onnxruntime-web has no kernel for the operator '${m[1]}' (opset ${m[2]}, node '${m[3]}') with the input types this model gives it.`,
    );
  }
  if (isOrtMemoryError(msg)) {
    return cut(
      `onnxruntime-web ran out of memory inside WebAssembly (${stripPrefixes(msg)}): the model needs more memory than a browser gives it (4 GiB at most, often less).`,
    );
  }
  m = /running (\w+) node\. Name:'([^']*)' Status Message: (.*)$/.exec(msg);
  if (m) return cut(`the ${m[1]} node '${m[2]}' failed: ${stripPrefixes(m[3])}`);
  return cut(stripPrefixes(msg));
}

/** Drops "Can't create a session. ERROR_CODE: n, ERROR_MESSAGE:", source paths and "[ONNXRuntimeError] : 2 : CODE :". */
function stripPrefixes(msg: string): string {
  let s = msg.replace(/^(?:Can't create a session\.|failed to call OrtRun\(\)\.)\s*/i, '');
  s = s.replace(/ERROR_CODE: \d+, ERROR_MESSAGE: /g, '');
  const ort = s.lastIndexOf('[ONNXRuntimeError]');
  if (ort >= 0) s = s.slice(ort + '[ONNXRuntimeError]'.length).replace(/^\s*:\s*\d+\s*:\s*[A-Z_]+\s*:\s*/, '');
  s = s.replace(/^\S+\.(?:cc|h|cpp):\d+ /, '');
  return s.trim();
}

function cut(s: string): string {
  return s.length <= MAX_ORT_MESSAGE ? s : `${s.slice(0, MAX_ORT_MESSAGE - 1)}…`;
}
