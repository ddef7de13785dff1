using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace FmsTools.Aws.Runtime.Pipeline
{
    /// <summary>
    /// Sits just inside the retry handler and counts every pass, including the SDK's quiet retries of stale
    /// pooled connections that do not show up in its retry counter.
    /// </summary>
    internal sealed class AttemptCountingHandler : PipelineHandler
    {
        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Count(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        public override void InvokeSync(IExecutionContext executionContext)
        {
            Count(executionContext);
            base.InvokeSync(executionContext);
        }

        private static void Count(IExecutionContext executionContext)
        {
            var request = executionContext.RequestContext.OriginalRequest;
            if (request != null) CallOutcome.For(request).Attempts++;
        }
    }

    /// <summary>
    /// Outermost pipeline handler: after the retry loop has finished, records the last HTTP status and the request
    /// id, so one call record can be emitted per logical call.
    /// </summary>
    internal sealed class CallTrackingHandler : PipelineHandler
    {
        // The endpoint text of the last request (every request of a client goes to the same endpoint): spares a Uri
        // formatting per call. One immutable pair, so concurrent calls read a consistent one.
        private sealed class EndpointText
        {
            public EndpointText(System.Uri uri, string text) { Uri = uri; Text = text; }
            public readonly System.Uri Uri;
            public readonly string Text;
        }

        private EndpointText? _lastEndpoint;

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (AmazonServiceException e)
            {
                Record(executionContext, (int)e.StatusCode, e.RequestId);
                throw;
            }
            finally
            {
                Record(executionContext, null, null);
            }
        }

        public override void InvokeSync(IExecutionContext executionContext)
        {
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (AmazonServiceException e)
            {
                Record(executionContext, (int)e.StatusCode, e.RequestId);
                throw;
            }
            finally
            {
                Record(executionContext, null, null);
            }
        }

        private string TextOf(System.Uri endpoint)
        {
            var last = System.Threading.Volatile.Read(ref _lastEndpoint);
            if (last != null && (ReferenceEquals(last.Uri, endpoint) || string.Equals(last.Uri.OriginalString, endpoint.OriginalString, System.StringComparison.Ordinal)))
                return last.Text;
            var text = AwsEndpointText.Of(endpoint);
            System.Threading.Volatile.Write(ref _lastEndpoint, new EndpointText(endpoint, text));
            return text;
        }

        private void Record(IExecutionContext executionContext, int? errorStatus, string? errorRequestId)
        {
            var request = executionContext.RequestContext.OriginalRequest;
            if (request == null) return;
            var outcome = CallOutcome.For(request);
            if (outcome.Endpoint == null && executionContext.RequestContext.Request?.Endpoint is System.Uri endpoint)
                outcome.Endpoint = TextOf(endpoint);
            var http = executionContext.ResponseContext.HttpResponse;
            if (errorStatus.HasValue)
            {
                outcome.HttpStatus = errorStatus;
                outcome.RequestId = errorRequestId ?? outcome.RequestId;
            }
            else if (http != null && outcome.HttpStatus == null)
            {
                outcome.HttpStatus = (int)http.StatusCode;
                outcome.RequestId = JsonOperationUnmarshaller.RequestIdOf(http);
            }
        }
    }
}
