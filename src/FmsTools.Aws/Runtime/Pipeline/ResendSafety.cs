using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Organizations;
using FmsTools.Aws.Wafv2;

namespace FmsTools.Aws.Runtime.Pipeline
{
    /// <summary>
    /// When a failed call may be sent again. A call that changes state is not idempotent in general (FMS PutPolicy,
    /// PutAppsList, PutProtocolsList and PutResourceSet create a new object on every call without an id and take no
    /// client token), so once its request may have reached the service, i.e. the connection broke or timed out
    /// before an answer came back, sending it again could apply it twice. Such calls are resent only after an error
    /// answer (throttling, 5xx: the service says it did not do the work) or a failure to connect at all; otherwise
    /// the caller gets <see cref="AwsTransportException.MayHaveBeenApplied"/> and decides.
    /// </summary>
    internal static class ResendSafety
    {
        private static readonly Dictionary<string, HashSet<string>> MutatingByTargetPrefix = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            [FmsOperations.TargetPrefix] = Mutating(FmsOperations.All),
            [OrganizationsOperations.TargetPrefix] = Mutating(OrganizationsOperations.All),
            [Wafv2Operations.TargetPrefix] = Mutating(Wafv2Operations.All),
        };

        private static HashSet<string> Mutating(IEnumerable<AwsOperation> operations)
            => new HashSet<string>(operations.Where(o => o.IsMutating).Select(o => o.Name), StringComparer.Ordinal);

        /// <summary>True when the operation changes state; operations of unknown services count as changing state.</summary>
        public static bool IsMutating(AwsServiceDescriptor service, string operation)
            => !MutatingByTargetPrefix.TryGetValue(service.TargetPrefix, out var mutating) || mutating.Contains(operation);

        /// <summary>False when <paramref name="request"/> must not be resent after <paramref name="failure"/>.</summary>
        public static bool MayResend(object? request, Exception failure)
        {
            if (failure is SentButUnansweredException) return false;
            if (!(request is JsonOperationRequest call) || !call.ChangesState) return true;
            return failure is WireServiceException || NeverReachedService(failure);
        }

        /// <summary>
        /// For a client whose every call changes state and is not idempotent (EC2's second client): resend only after an
        /// error answer (the service says what happened) or a failure to connect at all.
        /// </summary>
        public static bool MayResendChange(Exception failure)
            => !(failure is SentButUnansweredException)
               && (failure is AmazonServiceException answered && answered.StatusCode != 0 && !string.IsNullOrEmpty(answered.ErrorCode)
                   || NeverReachedService(failure));

        /// <summary>The connection could not be opened, so the request was never sent.</summary>
        public static bool NeverReachedService(Exception failure)
        {
            for (var e = failure; e != null; e = e.InnerException)
            {
                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.AddressNotAvailable:
                            return true;
                    }
                }
            }
            return false;
        }
    }

    /// <summary>
    /// Sits just inside the retry handler. The SDK resends a request quietly (outside the retry policy) when a pooled
    /// connection breaks, which for a state-changing call whose request was delivered is the classic double apply.
    /// Such a failure is turned into <see cref="SentButUnansweredException"/>, which nothing in the pipeline resends.
    /// </summary>
    internal sealed class ResendGuardHandler : PipelineHandler
    {
        private readonly bool _everyCallChangesState;

        /// <param name="everyCallChangesState">Every call of the client changes state (the SDK request types say nothing).</param>
        public ResendGuardHandler(bool everyCallChangesState = false) { _everyCallChangesState = everyCallChangesState; }

        private bool MayResend(IExecutionContext executionContext, Exception e)
            => _everyCallChangesState ? ResendSafety.MayResendChange(e) : ResendSafety.MayResend(executionContext.RequestContext.OriginalRequest, e);

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (Exception e) when (!MayResend(executionContext, e) && !(e is OperationCanceledException))
            {
                throw new SentButUnansweredException(e);
            }
        }

        public override void InvokeSync(IExecutionContext executionContext)
        {
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (Exception e) when (!MayResend(executionContext, e) && !(e is OperationCanceledException))
            {
                throw new SentButUnansweredException(e);
            }
        }
    }

    /// <summary>
    /// A state-changing request may have reached the service but no answer came back. The transport failure is kept in
    /// <see cref="TransportFailure"/> rather than as the inner exception, so no retry rule that looks for I/O errors
    /// in the chain resends it.
    /// </summary>
    internal sealed class SentButUnansweredException : Exception
    {
        public SentButUnansweredException(Exception transportFailure) : base(transportFailure.Message)
        {
            TransportFailure = transportFailure;
        }

        public Exception TransportFailure { get; }
    }
}
