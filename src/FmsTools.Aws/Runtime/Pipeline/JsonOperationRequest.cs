using System;
using System.IO;
using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Util;

namespace FmsTools.Aws.Runtime.Pipeline
{
    /// <summary>One JSON 1.1 call travelling through the SDK pipeline: the operation and its serialized body.</summary>
    internal sealed class JsonOperationRequest : AmazonWebServiceRequest
    {
        public JsonOperationRequest(string operation, byte[] body)
        {
            Operation = operation;
            Body = body;
        }

        public string Operation { get; }

        public byte[] Body { get; }

        /// <summary>The operation changes state: see <see cref="ResendSafety"/> for when it may be sent again.</summary>
        public bool ChangesState { get; set; }

        /// <summary>Filled by <see cref="CallTrackingHandler"/>: what happened on the wire, for the call record.</summary>
        public CallOutcome Outcome { get; } = new CallOutcome();
    }

    /// <summary>What happened on the wire for one SDK request (any request type: JSON calls and STS alike).</summary>
    internal sealed class CallOutcome
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AmazonWebServiceRequest, CallOutcome> Outcomes =
            new System.Runtime.CompilerServices.ConditionalWeakTable<AmazonWebServiceRequest, CallOutcome>();

        /// <summary>
        /// The outcome of <paramref name="request"/>: a JSON call carries its own; SDK request types (STS, SSO) get one
        /// from a weak table keyed by the request, which costs a dependent GC handle per call.
        /// </summary>
        public static CallOutcome For(AmazonWebServiceRequest request)
            => request is JsonOperationRequest call ? call.Outcome : Outcomes.GetValue(request, _ => new CallOutcome());

        public int Attempts { get; set; }
        public int? HttpStatus { get; set; }
        public string? RequestId { get; set; }

        /// <summary>Where the request went (<see cref="AwsEndpointText.Of"/>), once the endpoint was resolved.</summary>
        public string? Endpoint { get; set; }
    }

    /// <summary>The raw body of a successful answer; the invoker deserializes it into the typed response.</summary>
    internal sealed class JsonOperationResponse : AmazonWebServiceResponse
    {
        public byte[] Body { get; set; } = Array.Empty<byte>();
    }

    /// <summary>Builds the HTTP request: POST / with X-Amz-Target and the JSON 1.1 content type.</summary>
    internal sealed class JsonOperationMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        private readonly AwsServiceDescriptor _service;

        public JsonOperationMarshaller(AwsServiceDescriptor service) { _service = service; }

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var call = (JsonOperationRequest)input;
            var request = new DefaultRequest(call, _service.ServiceId);
            request.HttpMethod = "POST";
            request.ResourcePath = "/";
            request.Headers["X-Amz-Target"] = _service.TargetPrefix + "." + call.Operation;
            request.Headers["Content-Type"] = "application/x-amz-json-1.1";
            request.Headers[HeaderKeys.XAmzApiVersion] = _service.ApiVersion;
            request.Content = call.Body;
            return request;
        }
    }

    /// <summary>
    /// Keeps success bodies raw and turns error answers into <see cref="WireServiceException"/>, whose ErrorCode
    /// and status drive the SDK's retry policies (throttling codes, 5xx) before the invoker maps it to a typed error.
    /// </summary>
    internal sealed class JsonOperationUnmarshaller : JsonResponseUnmarshaller
    {
        public static readonly JsonOperationUnmarshaller Instance = new JsonOperationUnmarshaller();

        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
            => new JsonOperationResponse { Body = ReadAll(context.Stream, context.ResponseData?.ContentLength ?? -1) };

        /// <summary>
        /// The whole body. With a Content-Length it is read straight into an array of that size (no growing buffer and
        /// final copy: about three times the body in garbage per call otherwise); a body that turns out shorter or longer
        /// than announced is still returned as it was received.
        /// </summary>
        internal static byte[] ReadAll(Stream? stream, long contentLength)
        {
            if (stream == null) return Array.Empty<byte>();
            if (contentLength < 0 || contentLength > 16 * 1024 * 1024) return CopyAll(stream, Array.Empty<byte>(), 0);
            var body = new byte[contentLength];
            var read = 0;
            while (read < body.Length)
            {
                var n = stream.Read(body, read, body.Length - read);
                if (n == 0) return read == body.Length ? body : body.AsSpan(0, read).ToArray();
                read += n;
            }
            return CopyAll(stream, body, read);
        }

        /// <summary><paramref name="prefix"/> followed by whatever the stream still holds (usually nothing).</summary>
        private static byte[] CopyAll(Stream stream, byte[] prefix, int prefixLength)
        {
            var probe = new byte[1];
            if (prefixLength > 0)
            {
                if (stream.Read(probe, 0, 1) == 0) return prefix;
            }
            using (var buffer = new MemoryStream())
            {
                buffer.Write(prefix, 0, prefixLength);
                if (prefixLength > 0) buffer.WriteByte(probe[0]);
                stream.CopyTo(buffer);
                return buffer.ToArray();
            }
        }

        public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            var body = ReadBody(context);
            var details = AwsErrorParser.Parse(statusCode, context.ResponseData.GetHeaderValue(AwsErrorParser.ErrorTypeHeader), body);
            var requestId = RequestIdOf(context.ResponseData);
            return new WireServiceException(details, statusCode, requestId, innerException);
        }

        private static byte[] ReadBody(JsonUnmarshallerContext context)
        {
            var kept = context.GetResponseBodyBytes();
            if (kept != null && kept.Length > 0) return kept;
            var stream = context.Stream;
            if (stream == null) return Array.Empty<byte>();
            if (stream.CanSeek) stream.Position = 0;
            using (var buffer = new MemoryStream())
            {
                stream.CopyTo(buffer);
                return buffer.ToArray();
            }
        }

        private static readonly string[] RequestIdHeaders = { "x-amzn-RequestId", "x-amz-request-id" };

        public static string? RequestIdOf(IWebResponseData? response)
        {
            if (response == null) return null;
            foreach (var header in RequestIdHeaders)
            {
                if (response.IsHeaderPresent(header))
                {
                    var value = response.GetHeaderValue(header);
                    if (!string.IsNullOrEmpty(value)) return value;
                }
            }
            return null;
        }
    }

    /// <summary>An error answer inside the pipeline; never escapes the invoker.</summary>
    internal sealed class WireServiceException : AmazonServiceException
    {
        public WireServiceException(AwsErrorDetails details, HttpStatusCode statusCode, string? requestId, Exception? innerException)
            : base(details.Message, innerException, (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender,
                details.Code, requestId, statusCode)
        {
        }
    }
}
