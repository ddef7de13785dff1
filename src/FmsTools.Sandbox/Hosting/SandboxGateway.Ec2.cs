using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Sandbox.Http;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.Services;

namespace FmsTools.Sandbox.Hosting
{
    /// <summary>EC2's query protocol on the same endpoint: routed by the SigV4 credential scope's service (ec2).</summary>
    internal sealed partial class SandboxGateway
    {
        private const string Ec2ContentType = "text/xml;charset=UTF-8";
        private readonly Ec2Service _ec2 = new Ec2Service();

        /// <summary>The service named in the Authorization header's credential scope (key/date/region/service/aws4_request), or null.</summary>
        internal static string? ScopeService(SandboxHttpRequest request)
        {
            var authorization = request.Header("Authorization");
            if (authorization == null) return null;
            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (start < 0) return null;
            start += "Credential=".Length;
            var end = authorization.IndexOfAny(new[] { ',', ' ' }, start);
            var parts = (end < 0 ? authorization.Substring(start) : authorization.Substring(start, end - start)).Split('/');
            return parts.Length == 5 ? parts[3] : null;
        }

        /// <summary>EC2 when the scope says ec2, or (unsigned) when the form carries EC2's API version.</summary>
        private static bool IsEc2Request(SandboxHttpRequest request, IReadOnlyDictionary<string, string> form)
        {
            var service = ScopeService(request);
            if (service != null) return service == "ec2";
            return form.TryGetValue("Version", out var version) && version == Ec2Service.Version;
        }

        private async Task<(SandboxHttpResponse, string)> HandleEc2Async(SandboxHttpRequest request, IReadOnlyDictionary<string, string> form, string requestId,
            CallRecord call, CancellationToken cancellationToken)
        {
            call.Service = "ec2";
            form.TryGetValue("Action", out var action);
            call.Operation = action ?? "";
            call.Mutating = _ec2.IsMutating(call.Operation);
            call.DryRun = Ec2Service.IsDryRun(form);

            var auth = _verifier.Verify(request, "ec2");
            if (auth.Failure is AuthFailure failure)
            {
                var (code, status) = Ec2AuthError(failure);
                return Fail(Ec2Error(code, auth.Message, status, requestId), code);
            }
            var credential = auth.Credential!;
            call.Account = credential.AccountId;
            call.Region = auth.Region;
            if (string.IsNullOrEmpty(action))
                return Fail(Ec2Error("MissingAction", "The request must contain the parameter Action", 400, requestId), "MissingAction");
            if (!form.TryGetValue("Version", out var version))
                return Fail(Ec2Error("MissingParameter", "The request must contain the parameter Version", 400, requestId), "MissingParameter");
            if (version != Ec2Service.Version)
                return Fail(Ec2Error("InvalidAction", "The action " + action + " is not valid for this web service.", 400, requestId), "InvalidAction");

            var injected = await ApplyKnobsAsync("ec2", action!, cancellationToken).ConfigureAwait(false);
            var loseResponse = injected?.LoseResponse == true;
            if (injected != null && !loseResponse)
            {
                call.Injected = true;
                if (injected.Value.Response != null) return Fail(injected.Value.Response, injected.Value.Outcome);
                var error = injected.Value.Error!;
                var (code, status) = error.ErrorCode == "ThrottlingException" ? ("RequestLimitExceeded", 503)
                    : error.StatusCode == 503 ? ("Unavailable", 503)
                    : ("InternalError", 500);
                return Fail(Ec2Error(code, code == "RequestLimitExceeded" ? "Request limit exceeded." : error.Message, status, requestId), code);
            }

            try
            {
                string xml;
                var context = new RequestContext(credential.Identity, auth.Region, action!, _clock.UtcNow, _store);
                lock (_store.Sync)
                {
                    try
                    {
                        xml = _ec2.Handle(context, form, requestId);
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
                return (new SandboxHttpResponse(200, Ec2ContentType, Encoding.UTF8.GetBytes(xml)), "Success");
            }
            catch (SandboxServiceException error)
            {
                if (loseResponse)
                {
                    call.Injected = true;
                    return (LostResponse(), error.ErrorCode);
                }
                return Fail(Ec2Error(error.ErrorCode, error.Message, error.StatusCode, requestId), error.ErrorCode);
            }
        }

        private static (string Code, int Status) Ec2AuthError(AuthFailure failure)
        {
            switch (failure)
            {
                case AuthFailure.Missing: return ("MissingAuthenticationToken", 401);
                case AuthFailure.Incomplete: return ("IncompleteSignature", 400);
                case AuthFailure.UnknownKey: return ("AuthFailure", 401);
                case AuthFailure.ExpiredToken: return ("RequestExpired", 400);
                default: return ("SignatureDoesNotMatch", 403);
            }
        }

        private static SandboxHttpResponse Ec2Error(string code, string message, int status, string requestId)
            => new SandboxHttpResponse(status, Ec2ContentType, Encoding.UTF8.GetBytes(Ec2Service.ErrorXml(code, message, requestId)));
    }
}
