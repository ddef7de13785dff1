using System;
using System.Collections.Generic;

namespace FmsTools.Aws.Runtime
{
    /// <summary>One operation of a service model: its wire shapes and whether it changes state.</summary>
    public sealed class AwsOperation
    {
        public AwsOperation(string name, Type? requestType, Type? responseType, bool isMutating, bool hasPaginator,
            IReadOnlyList<string> errors, string? resultKey = null)
        {
            Name = name;
            RequestType = requestType ?? typeof(AwsEmptyRequest);
            ResponseType = responseType ?? typeof(AwsEmptyResponse);
            IsMutating = isMutating;
            HasPaginator = hasPaginator;
            Errors = errors;
            ResultKey = resultKey;
        }

        public string Name { get; }
        public Type RequestType { get; }
        public Type ResponseType { get; }

        /// <summary>True when the operation changes state (Put*, Delete*, Associate*, Tag*, ...).</summary>
        public bool IsMutating { get; }

        /// <summary>True when botocore declares a paginator for it.</summary>
        public bool HasPaginator { get; }

        /// <summary>The error shapes the model lists for the operation.</summary>
        public IReadOnlyList<string> Errors { get; }

        /// <summary>The paginator's result member, when there is a paginator.</summary>
        public string? ResultKey { get; }

        public override string ToString() => Name;
    }

    /// <summary>Body of an operation with no input shape.</summary>
    public sealed class AwsEmptyRequest { }

    /// <summary>Body of an operation with no output shape.</summary>
    public sealed class AwsEmptyResponse { }
}
