using System;
using System.Collections.Generic;
using System.Text.Json;
using FmsTools.Sandbox.Persistence;
using FmsTools.Sandbox.Protocol;

namespace FmsTools.Sandbox.Services
{
    /// <summary>Everything a handler needs about the call it answers.</summary>
    internal sealed class RequestContext
    {
        public RequestContext(CallerIdentity caller, string region, string operation, DateTime now, SandboxStore store)
        {
            Caller = caller;
            Region = region;
            Operation = operation;
            Now = now;
            Store = store;
        }

        public CallerIdentity Caller { get; }

        /// <summary>The region from the SigV4 credential scope.</summary>
        public string Region { get; }
        public string Operation { get; }

        /// <summary>Sandbox clock at the start of the request.</summary>
        public DateTime Now { get; }
        public SandboxStore Store { get; }
        public World.World World => Store.World;
    }

    internal delegate object? OperationHandler(RequestContext context, JsonElement body);

    /// <summary>A JSON 1.1 service: its botocore model, handlers by operation, and what validation errors are called.</summary>
    internal abstract class JsonService
    {
        private readonly Dictionary<string, OperationHandler> _handlers = new Dictionary<string, OperationHandler>(StringComparer.Ordinal);
        private readonly HashSet<string> _mutating = new HashSet<string>(StringComparer.Ordinal);

        protected JsonService(string serviceKey, string validationErrorCode)
        {
            Model = ServiceModel.Load(serviceKey);
            Validator = new ModelValidator(Model);
            ValidationErrorCode = validationErrorCode;
        }

        public ServiceModel Model { get; }
        public ModelValidator Validator { get; }

        /// <summary>The error code for model constraint violations (FMS: InvalidInputException).</summary>
        public string ValidationErrorCode { get; }

        /// <summary>Short service name for logs: fms, organizations, wafv2.</summary>
        public string Name => Model.ServiceKey;

        public bool TryGetHandler(string operation, out OperationHandler handler) => _handlers.TryGetValue(operation, out handler!);

        public bool IsMutating(string operation) => _mutating.Contains(operation);

        public IEnumerable<string> Operations => _handlers.Keys;

        protected void On<TRequest>(string operation, Func<RequestContext, TRequest, object?> handler, bool mutating = false)
            where TRequest : class, new()
        {
            if (!Model.Operations.ContainsKey(operation))
                throw new InvalidOperationException("The " + Model.ServiceKey + " model has no operation " + operation + ".");
            _handlers[operation] = (context, body) => handler(context, body.Deserialize<TRequest>(SandboxJson.Wire) ?? new TRequest());
            if (mutating) _mutating.Add(operation);
        }
    }
}
