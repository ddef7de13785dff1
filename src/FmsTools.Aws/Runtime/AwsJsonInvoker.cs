using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using FmsTools.Aws.Runtime.Pipeline;

namespace FmsTools.Aws.Runtime
{
    /// <summary>How an invoker connects: region, endpoint choice, retries, timeout, observer.</summary>
    public sealed class AwsInvokerSettings
    {
        public string Region { get; set; } = "";

        /// <summary>One URL for every service (e.g. the local sandbox); FIPS and dual-stack must be off with it.</summary>
        public string? EndpointUrl { get; set; }

        public bool UseFips { get; set; }

        public bool UseDualStack { get; set; }

        public AwsRetryMode RetryMode { get; set; } = AwsRetryMode.Standard;

        /// <summary>Total attempts including the first (the SDKs' max_attempts).</summary>
        public int MaxAttempts { get; set; } = 10;

        /// <summary>Per-attempt HTTP timeout; null keeps the SDK default.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Account the credentials act in, when known; only used in call records.</summary>
        public string? AccountId { get; set; }

        public IAwsCallObserver? Observer { get; set; }

        /// <summary>Check requests against the model's required members and limits before sending.</summary>
        public bool ValidateRequests { get; set; } = true;

        public AwsRetryTiming RetryTiming { get; set; } = AwsRetryTiming.Default;
    }

    /// <summary>
    /// The AWS JSON 1.1 invoker on AWSSDK.Core: serializes with System.Text.Json (nulls omitted), sends
    /// POST / with X-Amz-Target = TargetPrefix.Operation through the SDK pipeline (credentials, SigV4, retries,
    /// timeouts), maps error answers to typed exceptions and reports one <see cref="AwsCallRecord"/> per call.
    /// </summary>
    public sealed class AwsJsonInvoker : IAwsJsonInvoker, IDisposable
    {
        private readonly JsonServiceClient _client;
        private readonly AwsInvokerSettings _settings;
        private readonly AWSCredentials _credentials;
        private readonly string _endpointText;

        public AwsJsonInvoker(AwsServiceDescriptor service, AWSCredentials credentials, AwsInvokerSettings settings)
        {
            Service = service ?? throw new ArgumentNullException(nameof(service));
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            if (settings.MaxAttempts < 1)
                throw new AwsConfigurationException($"MaxAttempts must be at least 1 (was {settings.MaxAttempts}).", "MaxAttempts");
            Endpoint = AwsEndpointResolver.Resolve(service, settings.Region, settings.UseFips, settings.UseDualStack, settings.EndpointUrl);

            var config = new JsonServiceClientConfig(service, Endpoint, settings.RetryTiming)
            {
                RetryMode = settings.RetryMode == AwsRetryMode.Adaptive ? RequestRetryMode.Adaptive : RequestRetryMode.Standard,
                MaxErrorRetry = settings.MaxAttempts - 1,
            };
            if (settings.Timeout.HasValue) config.Timeout = settings.Timeout.Value;
            _client = new JsonServiceClient(credentials, config);
            _endpointText = AwsEndpointText.Of(Endpoint.Url);
        }

        public AwsServiceDescriptor Service { get; }

        /// <summary>Where requests go and the region they are signed for.</summary>
        public AwsResolvedEndpoint Endpoint { get; }

        public string Region => _settings.Region;

        public async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
            where TRequest : class
            where TResponse : class, new()
        {
            if (string.IsNullOrEmpty(operation)) throw new ArgumentNullException(nameof(operation));
            if (_settings.ValidateRequests) AwsRequestValidator.Validate(operation, request);

            // Credentials that need calls of their own (AssumeRole, web identity, SSO, credential_process) are obtained first:
            // their failure is reported as itself (AssumeRoleFailed, ...), never as a failure of this operation.
            if (_credentials is RefreshingAWSCredentials) await ObtainCredentialsAsync().ConfigureAwait(false);

            var changesState = ResendSafety.IsMutating(Service, operation);
            var call = new JsonOperationRequest(operation, AwsJson.Serialize(request)) { ChangesState = changesState };
            ((IAmazonWebServiceRequest)call).UserAgentDetails.AddUserAgentComponent(FmsToolsVersion.UserAgentToken);
            var stopwatch = Stopwatch.StartNew();
            string? errorCode = null;
            try
            {
                JsonOperationResponse response;
                try
                {
                    response = await _client.SendAsync(call, cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonServiceException e)
                {
                    var mapped = Service.ErrorFactory(e.ErrorCode ?? "UnknownError", e.Message, e.StatusCode,
                        e.RequestId ?? call.Outcome.RequestId, operation);
                    errorCode = mapped.ErrorCode;
                    throw mapped;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    errorCode = "OperationCanceled";
                    throw;
                }
                catch (OperationCanceledException e)
                {
                    errorCode = "Timeout";
                    throw new TimeoutException($"{operation}: no answer from {Endpoint.Url} within the timeout"
                        + (_settings.Timeout.HasValue ? $" of {_settings.Timeout.Value.TotalSeconds:0.#} s" : "") + "."
                        + (changesState ? $" {operation} changes state and may have been applied; it was not sent again. Check the current state before retrying." : ""), e);
                }
                catch (SentButUnansweredException e)
                {
                    errorCode = e.TransportFailure.GetType().Name;
                    throw new AwsTransportException(operation, Endpoint.Url, Math.Max(1, call.Outcome.Attempts), e.TransportFailure, mayHaveBeenApplied: true);
                }
                catch (Exception e) when (e is HttpRequestException || e is IOException || e is WebException
                                          || e is System.Net.Sockets.SocketException)
                {
                    errorCode = e.GetType().Name;
                    throw new AwsTransportException(operation, Endpoint.Url, Math.Max(1, call.Outcome.Attempts), e,
                        mayHaveBeenApplied: changesState && !ResendSafety.NeverReachedService(e),
                        unreachableBecause: TransportFailures.Describe(e, Endpoint.Url));
                }
                catch (Exception e)
                {
                    errorCode = e.GetType().Name;
                    throw;
                }

                try
                {
                    return AwsJson.Deserialize<TResponse>(response.Body);
                }
                catch (JsonException e)
                {
                    errorCode = "MalformedResponse";
                    throw new AwsServiceException(errorCode, $"{operation}: the answer is not valid JSON for {typeof(TResponse).Name}: {e.Message}",
                        HttpStatusCode.OK, call.Outcome.RequestId, operation, e);
                }
            }
            finally
            {
                stopwatch.Stop();
                AwsRequestIdScope.Observe(call.Outcome.RequestId);
                var observer = _settings.Observer;
                if (observer != null)
                {
                    observer.OnCall(new AwsCallRecord(Service.ServiceId, operation, _settings.Region, _settings.AccountId,
                        call.Outcome.RequestId, Math.Max(1, call.Outcome.Attempts), call.Outcome.HttpStatus, stopwatch.Elapsed, errorCode,
                        _endpointText));
                }
            }
        }

        private async Task ObtainCredentialsAsync()
        {
            try
            {
                await _credentials.GetCredentialsAsync().ConfigureAwait(false);
            }
            catch (AwsCredentialException)
            {
                throw;
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw new AwsCredentialException("CredentialsUnavailable", $"The credentials for {Service.ServiceId} could not be obtained: {e.Message}",
                    innerException: e);
            }
        }

        /// <summary>Handler names of the SDK pipeline, outermost first (diagnostics and tests).</summary>
        internal string[] PipelineHandlers() => System.Linq.Enumerable.ToArray(_client.DescribePipeline());

        public void Dispose() => _client.Dispose();
    }
}
