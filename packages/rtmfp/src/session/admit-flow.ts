import { UserDataOption } from '../codec/chunks/user-data.js';
import type { FlowFragment } from '../codec/chunks/user-data-run.js';
import { RecvFlow } from '../flow/recv-flow.js';
import type { ResolvedSessionOptions } from './session-options.js';

/**
 * What to do with the first fragment of a flow we do not know (RFC 7016 §3.6.3.1): undefined
 * when it cannot be kept (no metadata, too many flows); a refused flow when it carries an
 * unknown mandatory option or answers a flow of ours that does not exist; else a pending flow
 * for the application to accept or refuse.
 */
export function admitFlow(fragment: FlowFragment, options: ResolvedSessionOptions, flowCount: number, isOurFlow: (id: number) => boolean): RecvFlow | undefined {
  const userOptions = fragment.options;
  if (!userOptions?.metadata || flowCount >= options.maxRecvFlows) return undefined;
  const limits = { bufferBytes: options.receiveBufferBytes, maxMessageSize: options.maxMessageSize, maxAhead: options.maxAheadFragments };
  const flow = new RecvFlow(fragment.flowId, userOptions.metadata, userOptions.returnFlowId, limits);
  const mandatoryUnknown = (userOptions.others ?? []).some((option) => option.type < UserDataOption.MandatoryCutoff);
  const association = userOptions.returnFlowId;
  if (mandatoryUnknown || (association !== undefined && !isOurFlow(association))) flow.reject(0);
  return flow;
}
