using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using FmsTools.Aws.Runtime;
using FmsTools.Aws.Runtime.Pipeline;

namespace FmsTools.Aws
{
    /// <summary>
    /// One call of an SDK typed client (STS, EC2) as FmsTools makes it: the user agent token added, the SDK's errors mapped
    /// (AwsServiceException; AwsTransportException with the endpoint, attempts and whether a mutating call may have been
    /// applied; TimeoutException), and one call record with its endpoint reported to the session's observer.
    /// </summary>
    internal sealed class SdkCallTracker
    {
        private readonly string _service;
        private readonly string _endpointPrefix;
        private readonly AwsInvokerSettings _settings;

        /// <param name="service">The service name of the call records ("STS", "EC2").</param>
        /// <param name="endpointPrefix">The host prefix of the Region's endpoint ("sts", "ec2") when none is configured.</param>
        /// <param name="settings">The session's settings: Region, account, configured endpoint and observer.</param>
        public SdkCallTracker(string service, string endpointPrefix, AwsInvokerSettings settings)
        {
            _service = service;
            _endpointPrefix = endpointPrefix;
            _settings = settings;
        }

        public async Task Track(string operation, AmazonWebServiceRequest request, bool mutating, Func<Task> send, CancellationToken cancellationToken)
            => await Track(operation, request, mutating, async () => { await send().ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);

        public async Task<T> Track<T>(string operation, AmazonWebServiceRequest request, bool mutating, Func<Task<T>> send, CancellationToken cancellationToken)
        {
            ((IAmazonWebServiceRequest)request).UserAgentDetails.AddUserAgentComponent(FmsToolsVersion.UserAgentToken);
            var stopwatch = Stopwatch.StartNew();
            string? errorCode = null;
            string? requestId = null;
            try
            {
                var response = await send().ConfigureAwait(false);
                // Query-protocol services (STS, EC2) carry the request id in the XML body.
                requestId = (response as AmazonWebServiceResponse)?.ResponseMetadata?.RequestId;
                return response;
            }
            catch (AmazonServiceException e)
            {
                errorCode = string.IsNullOrEmpty(e.ErrorCode) ? "UnknownError" : e.ErrorCode;
                requestId = e.RequestId;
                throw new AwsServiceException(errorCode, e.Message, e.StatusCode, e.RequestId, operation, e);
            }
            catch (SentButUnansweredException e)
            {
                // Only a client with the resend guard (EC2's send-once client) throws this.
                errorCode = e.TransportFailure.GetType().Name;
                throw new AwsTransportException(operation, EndpointUri(request), Math.Max(1, CallOutcome.For(request).Attempts), e.TransportFailure, mayHaveBeenApplied: true);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                errorCode = "OperationCanceled";
                throw;
            }
            catch (OperationCanceledException e)
            {
                errorCode = "Timeout";
                throw new TimeoutException($"{operation}: no answer from {AwsEndpointText.Of(EndpointUri(request))} within the timeout.", e);
            }
            catch (Exception e) when (e is System.Net.Http.HttpRequestException || e is System.IO.IOException || e is System.Net.WebException
                                      || e is System.Net.Sockets.SocketException)
            {
                errorCode = e.GetType().Name;
                var endpoint = EndpointUri(request);
                var unreachable = TransportFailures.Describe(e, endpoint);
                throw new AwsTransportException(operation, endpoint, Math.Max(1, CallOutcome.For(request).Attempts), e,
                    mayHaveBeenApplied: mutating && unreachable == null, unreachableBecause: unreachable);
            }
            catch (Exception e)
            {
                errorCode = e.GetType().Name;
                throw;
            }
            finally
            {
                stopwatch.Stop();
                var outcome = CallOutcome.For(request);
                AwsRequestIdScope.Observe(requestId ?? outcome.RequestId);
                _settings.Observer?.OnCall(new AwsCallRecord(_service, operation, _settings.Region, _settings.AccountId, requestId ?? outcome.RequestId,
                    Math.Max(1, outcome.Attempts), outcome.HttpStatus, stopwatch.Elapsed, errorCode, outcome.Endpoint ?? AwsEndpointText.Of(EndpointUri(request))));
            }
        }

        /// <summary>Where the call went: the endpoint recorded for it, else the configured endpoint, else the Region's endpoint of the service.</summary>
        private Uri EndpointUri(AmazonWebServiceRequest request)
        {
            var recorded = CallOutcome.For(request).Endpoint;
            if (recorded != null && Uri.TryCreate(recorded, UriKind.Absolute, out var uri)) return uri;
            if (!string.IsNullOrWhiteSpace(_settings.EndpointUrl) && Uri.TryCreate(_settings.EndpointUrl, UriKind.Absolute, out var configured)) return configured;
            return new Uri("https://" + _endpointPrefix + "." + _settings.Region + ".amazonaws.com");
        }
    }
}
