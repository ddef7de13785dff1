using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Sandbox.Http;
using FmsTools.Sandbox.Persistence;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.Services;

namespace FmsTools.Sandbox.Hosting
{
    /// <summary>
    /// The one endpoint: routes by X-Amz-Target (JSON 1.1 services) or Action (STS query protocol; EC2's query protocol when
    /// the SigV4 credential scope names ec2),
    /// verifies SigV4, applies rate limits and faults, validates against the model, runs the handler
    /// under the store lock, persists, answers in the protocol's error form and logs the request.
    /// Never lets an exception escape: anything unexpected is an InternalFailure.
    /// </summary>
    internal sealed partial class SandboxGateway
    {
        private const string JsonContentType = "application/x-amz-json-1.1";
        private readonly Dictionary<string, JsonService> _services = new Dictionary<string, JsonService>(StringComparer.Ordinal);
        private readonly StsService _sts;
        private readonly SandboxStore _store;
        private readonly SigV4Verifier _verifier;
        private readonly SandboxClock _clock;
        private readonly RequestLog _log;
        private readonly RateLimiter _rateLimiter;
        private readonly FaultInjector _faults;
        private readonly AdminApi _admin;
        private readonly AnswerFields _answerFields;

        public SandboxGateway(IEnumerable<JsonService> services, StsService sts, SandboxStore store, SigV4Verifier verifier, SandboxClock clock,
            RequestLog log, RateLimiter rateLimiter, FaultInjector faults, AdminApi admin, AnswerFields? answerFields = null)
        {
            _answerFields = answerFields ?? new AnswerFields();
            foreach (var service in services) _services[service.Model.TargetPrefix] = service;
            _sts = sts;
            _store = store;
            _verifier = verifier;
            _clock = clock;
            _log = log;
            _rateLimiter = rateLimiter;
            _faults = faults;
            _admin = admin;
        }

        private sealed class CallRecord
        {
            public string Service = "";
            public string Operation = "";
            public string? Account;
            public string? Region;
            public bool Mutating;
            public bool Injected;
            public bool DryRun;
        }

        public async Task<SandboxHttpResponse> HandleAsync(SandboxHttpRequest request, CancellationToken cancellationToken)
        {
            var started = Stopwatch.StartNew();
            var arrived = DateTime.UtcNow;
            var sandboxTime = _clock.UtcNow;
            var requestId = Guid.NewGuid().ToString();
            var call = new CallRecord();
            SandboxHttpResponse response;
            string outcome;
            try
            {
                if (request.Path.StartsWith(AdminApi.Prefix, StringComparison.Ordinal))
                {
                    call.Service = "sandbox";
                    call.Operation = request.Method + " " + request.Path;
                    call.Mutating = request.Method != "GET";
                    response = _admin.Handle(request);
                    outcome = response.StatusCode < 400 ? "Success" : "HTTP" + response.StatusCode;
                }
                else
                {
                    var target = request.Header("X-Amz-Target");
                    var contentType = request.Header("Content-Type") ?? "";
                    if (target != null)
                        (response, outcome) = await HandleJsonAsync(request, target, requestId, call, cancellationToken).ConfigureAwait(false);
                    else if (request.Method == "POST" && contentType.IndexOf("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) >= 0)
                        (response, outcome) = await HandleQueryAsync(request, requestId, call, cancellationToken).ConfigureAwait(false);
                    else
                    {
                        call.Service = "unknown";
                        call.Operation = request.Method + " " + request.Path;
                        response = SandboxHttpResponse.Text(404, "fms-sandbox: send AWS JSON 1.1 requests (X-Amz-Target) or STS query requests (Action=...) to "
                            + "POST /; the sandbox's own API is under " + AdminApi.Prefix + "\n");
                        outcome = "NotFound";
                    }
                }
            }
            catch (Exception error) when (!(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                response = JsonError(new SandboxServiceException("InternalFailure", "The sandbox failed to process the request: " + error.GetType().Name, 500,
                    coralNamespace: true), requestId);
                outcome = "InternalFailure";
            }

            response.Headers.Add(new KeyValuePair<string, string>("x-amzn-RequestId", requestId));
            _log.Add(new RequestLogEntry
            {
                Time = arrived,
                SandboxTime = sandboxTime,
                Service = call.Service,
                Operation = call.Operation,
                CallerAccount = call.Account,
                Region = call.Region,
                Mutating = call.Mutating,
                Outcome = outcome,
                HttpStatus = response.ResetConnection ? 0 : response.StatusCode,
                RequestId = requestId,
                DurationMs = started.Elapsed.TotalMilliseconds,
                Injected = call.Injected,
                DryRun = call.DryRun,
            });
            return response;
        }

        private async Task<(SandboxHttpResponse, string)> HandleJsonAsync(SandboxHttpRequest request, string target, string requestId, CallRecord call,
            CancellationToken cancellationToken)
        {
            var dot = target.IndexOf('.');
            var prefix = dot < 0 ? target : target.Substring(0, dot);
            var operation = dot < 0 ? "" : target.Substring(dot + 1);
            call.Operation = operation;
            if (!_services.TryGetValue(prefix, out var service))
            {
                call.Service = "unknown";
                return Fail(JsonError(UnknownOperation(), requestId), "UnknownOperationException");
            }
            call.Service = service.Name;
            call.Mutating = service.IsMutating(operation);

            var auth = _verifier.Verify(request, service.Model.SigningName);
            if (auth.Failure is AuthFailure failure)
            {
                var error = JsonAuthError(failure, auth.Message);
                return Fail(JsonError(error, requestId), error.ErrorCode);
            }
            var credential = auth.Credential!;
            call.Account = credential.AccountId;
            call.Region = auth.Region;

            if (!service.TryGetHandler(operation, out var handler))
                return Fail(JsonError(UnknownOperation(), requestId), "UnknownOperationException");

            var injected = await ApplyKnobsAsync(service.Name, operation, cancellationToken).ConfigureAwait(false);
            if (injected != null)
            {
                call.Injected = true;
                if (injected.Value.LoseResponse)
                {
                    var (_, servedOutcome) = ServeJson(request, service, handler, operation, credential, auth.Region, requestId);
                    // The log says whether the call took effect: "ResponseLost" means it succeeded (and was applied).
                    return (LostResponse(), servedOutcome == "Success" ? "ResponseLost" : servedOutcome);
                }
                return Fail(injected.Value.Response ?? JsonError(injected.Value.Error!, requestId), injected.Value.Outcome);
            }
            return ServeJson(request, service, handler, operation, credential, auth.Region, requestId);
        }

        private static SandboxHttpResponse LostResponse() => new SandboxHttpResponse(0, "", Array.Empty<byte>()) { ResetConnection = true };

        private (SandboxHttpResponse, string) ServeJson(SandboxHttpRequest request, JsonService service, OperationHandler handler, string operation,
            SandboxCredential credential, string region, string requestId)
        {
            JsonDocument document;
            try
            {
                // JsonDocument defers UTF-8 validation of strings to GetString, which would then fail deep in a handler.
                StrictUtf8.GetCharCount(request.Body);
                document = request.Body.Length == 0 ? JsonDocument.Parse("{}") : JsonDocument.Parse(request.Body);
            }
            catch (Exception e) when (e is JsonException || e is DecoderFallbackException)
            {
                var error = ModelValidator.Serialization("Unable to parse the request body as JSON.");
                return Fail(JsonError(error, requestId), error.ErrorCode);
            }

            using (document)
            {
                try
                {
                    var model = service.Model.Operations[operation];
                    var violations = service.Validator.Validate(model, document.RootElement);
                    if (violations.Count > 0)
                        throw new SandboxServiceException(service.ValidationErrorCode, ModelValidator.FormatMessage(violations));

                    object? result;
                    var context = new RequestContext(credential.Identity, region, operation, _clock.UtcNow, _store);
                    lock (_store.Sync)
                    {
                        try
                        {
                            result = handler(context, document.RootElement);
                            _store.Commit();
                        }
                        catch
                        {
                            _store.DiscardPending();
                            throw;
                        }
                    }
                    // An empty answer goes through the answer fields too: a Put that answers nothing may store members (PutAdminAccount).
                    var body = _answerFields.Apply(service.Name, operation, request.Body, result is null ? EmptyObject : SandboxJson.Serialize(result));
                    return (new SandboxHttpResponse(200, JsonContentType, body), "Success");
                }
                catch (SandboxServiceException error)
                {
                    return Fail(JsonError(error, requestId), error.ErrorCode);
                }
                catch (JsonException)
                {
                    var error = ModelValidator.Serialization("The request body does not match the shape of " + operation + ".");
                    return Fail(JsonError(error, requestId), error.ErrorCode);
                }
            }
        }

        private async Task<(SandboxHttpResponse, string)> HandleQueryAsync(SandboxHttpRequest request, string requestId, CallRecord call, CancellationToken cancellationToken)
        {
            var form = StsService.ParseForm(request.Body);
            if (IsEc2Request(request, form))
                return await HandleEc2Async(request, form, requestId, call, cancellationToken).ConfigureAwait(false);
            call.Service = "sts";
            form.TryGetValue("Action", out var action);
            call.Operation = action ?? "";
            call.Mutating = StsService.IsMutating(call.Operation);
            // AssumeRoleWithWebIdentity is unsigned at AWS (the token is the proof); every other action is verified.
            SandboxCredential? credential = null;
            var region = "";
            if (!StsService.IsUnsigned(call.Operation))
            {
                var auth = _verifier.Verify(request, "sts");
                if (auth.Failure is AuthFailure failure)
                {
                    var (code, status) = QueryAuthError(failure);
                    return Fail(QueryError(code, auth.Message, status, requestId), code);
                }
                credential = auth.Credential!;
                region = auth.Region;
                call.Account = credential.AccountId;
                call.Region = auth.Region;
            }
            if (string.IsNullOrEmpty(action))
                return Fail(QueryError("MissingAction", "Missing Action", 400, requestId), "MissingAction");
            if (!form.TryGetValue("Version", out var version) || version != StsService.Version)
                return Fail(QueryError("InvalidAction", "Could not find operation " + action + " for version " + (version ?? "NO_VERSION_SPECIFIED"), 400, requestId), "InvalidAction");

            var injected = await ApplyKnobsAsync("sts", action!, cancellationToken).ConfigureAwait(false);
            var loseResponse = injected?.LoseResponse == true;
            if (injected != null && !loseResponse)
            {
                call.Injected = true;
                if (injected.Value.Response != null) return Fail(injected.Value.Response, injected.Value.Outcome);
                var error = injected.Value.Error!;
                var code = error.ErrorCode == "ThrottlingException" ? "Throttling" : error.ErrorCode;
                return Fail(QueryError(code, error.Message, error.StatusCode, requestId), code);
            }

            try
            {
                string xml;
                var context = new RequestContext(credential?.Identity ?? CallerIdentity.Anonymous, region, action!, _clock.UtcNow, _store);
                lock (_store.Sync)
                {
                    try
                    {
                        xml = _sts.Handle(context, form, credential, requestId);
                        _store.Commit();
                    }
                    catch
                    {
                        _store.DiscardPending();
                        throw;
                    }
                }
                if (loseResponse)
                {
                    call.Injected = true;
                    return (LostResponse(), "ResponseLost");
                }
                return (new SandboxHttpResponse(200, "text/xml", Encoding.UTF8.GetBytes(xml)), "Success");
            }
            catch (SandboxServiceException error)
            {
                if (loseResponse)
                {
                    call.Injected = true;
                    return (LostResponse(), error.ErrorCode);
                }
                return Fail(QueryError(error.ErrorCode, error.Message, error.StatusCode, requestId), error.ErrorCode);
            }
        }

        private readonly struct Injected
        {
            public Injected(SandboxServiceException? error, SandboxHttpResponse? response, string outcome, bool loseResponse = false)
            {
                Error = error;
                Response = response;
                Outcome = outcome;
                LoseResponse = loseResponse;
            }

            /// <summary>Serve the request, then reset the connection instead of answering.</summary>
            public bool LoseResponse { get; }

            public SandboxServiceException? Error { get; }
            public SandboxHttpResponse? Response { get; }
            public string Outcome { get; }
        }

        /// <summary>Rate limits first (as AWS throttles before doing work), then scripted or random faults.</summary>
        private async Task<Injected?> ApplyKnobsAsync(string service, string operation, CancellationToken cancellationToken)
        {
            if (!_rateLimiter.TryAcquire(service, operation))
                return new Injected(new SandboxServiceException("ThrottlingException", "Rate exceeded", 400, typeNamespace: SandboxServiceException.CoralAvailability),
                    null, "ThrottlingException");
            var (fault, latencyMs) = _faults.Decide(service, operation);
            if (latencyMs > 0) await DelayAtLeastAsync(latencyMs, cancellationToken).ConfigureAwait(false);
            if (fault is null) return null;
            switch (fault.Kind)
            {
                case FaultKind.ConnectionReset:
                    return new Injected(null, LostResponse(), "ConnectionReset");
                case FaultKind.ResponseLost:
                    return new Injected(null, null, "ResponseLost", loseResponse: true);
                case FaultKind.ServiceUnavailable:
                    return new Injected(new SandboxServiceException("ServiceUnavailable", "Service is unavailable, please retry.", 503, coralNamespace: true),
                        null, "ServiceUnavailable");
                case FaultKind.InternalErrorException:
                    return new Injected(new SandboxServiceException("InternalErrorException", "The operation failed because of a system problem, even though the request was valid. Retry your request."),
                        null, "InternalErrorException");
                case FaultKind.Throttling:
                    return new Injected(new SandboxServiceException("ThrottlingException", "Rate exceeded", 400, typeNamespace: SandboxServiceException.CoralAvailability),
                        null, "ThrottlingException");
                default:
                    return new Injected(new SandboxServiceException("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500,
                        coralNamespace: true), null, "InternalFailure");
            }
        }

        private static readonly byte[] EmptyObject = Encoding.UTF8.GetBytes("{}");
        private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        private static (SandboxHttpResponse, string) Fail(SandboxHttpResponse response, string outcome) => (response, outcome);

        private static SandboxServiceException UnknownOperation()
            => new SandboxServiceException("UnknownOperationException", "", 400, coralNamespace: true);

        private static SandboxServiceException JsonAuthError(AuthFailure failure, string message)
        {
            switch (failure)
            {
                case AuthFailure.Missing: return new SandboxServiceException("MissingAuthenticationTokenException", message, 400, coralNamespace: true);
                case AuthFailure.Incomplete: return new SandboxServiceException("IncompleteSignatureException", message, 400, coralNamespace: true);
                case AuthFailure.UnknownKey: return new SandboxServiceException("UnrecognizedClientException", message, 400, coralNamespace: true);
                case AuthFailure.ExpiredToken: return new SandboxServiceException("ExpiredTokenException", message, 400, coralNamespace: true);
                default: return new SandboxServiceException("InvalidSignatureException", message, 400, coralNamespace: true);
            }
        }

        /// <summary>STS (query protocol) answers authentication failures with HTTP 403 and its own codes.</summary>
        private static (string Code, int Status) QueryAuthError(AuthFailure failure)
        {
            switch (failure)
            {
                case AuthFailure.Missing: return ("MissingAuthenticationToken", 403);
                case AuthFailure.Incomplete: return ("IncompleteSignature", 403);
                case AuthFailure.UnknownKey: return ("InvalidClientTokenId", 403);
                case AuthFailure.ExpiredToken: return ("ExpiredToken", 403);
                default: return ("SignatureDoesNotMatch", 403);
            }
        }

        /// <summary>
        /// AWS's JSON error form: {"__type": "...", "Message": "..."} with x-amzn-ErrorType. Front-end errors carry the
        /// coral namespace and a lowercase "message", as the real service does; botocore strips the namespace.
        /// </summary>
        internal static SandboxHttpResponse JsonError(SandboxServiceException error, string requestId)
        {
            using var buffer = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("__type", error.TypeNamespace is null ? error.ErrorCode : error.TypeNamespace + "#" + error.ErrorCode);
                writer.WriteString(error.TypeNamespace is null ? "Message" : "message", error.Message);
                if (error.ExtraMembers != null)
                    foreach (var member in error.ExtraMembers) writer.WriteString(member.Key, member.Value);
                writer.WriteEndObject();
            }
            var response = new SandboxHttpResponse(error.StatusCode, JsonContentType, buffer.ToArray());
            response.Headers.Add(new KeyValuePair<string, string>("x-amzn-ErrorType",
                error.TypeNamespace is null ? error.ErrorCode : error.ErrorCode + ":http://internal.amazon.com/coral/" + error.TypeNamespace + "/"));
            return response;
        }

        private static SandboxHttpResponse QueryError(string code, string message, int status, string requestId)
            => new SandboxHttpResponse(status, "text/xml", Encoding.UTF8.GetBytes(StsService.ErrorXml(code, message, requestId, status < 500)));

        // Timer-based delays may end a millisecond early; an injected latency promises at least its length.
        private static async Task DelayAtLeastAsync(int milliseconds, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            for (var remaining = milliseconds; remaining > 0; remaining = milliseconds - (int)watch.ElapsedMilliseconds)
                await Task.Delay(remaining, cancellationToken).ConfigureAwait(false);
        }
    }
}
