using FmsTools.Aws.Runtime;

namespace FmsTools.Infrastructure
{
    /// <summary>Maps exceptions that escape the engine to error records with stable ids.</summary>
    internal static class ErrorMapper
    {
        public static FmsError Map(Exception exception, object? target)
        {
            switch (exception)
            {
                case FmsTerminatingException t:
                    return t.Error;
                case FmsItemException item:
                    return item.Error;
                case FmsInputException input:
                    return new FmsError(input.Rule, FmsErrorCategory.InvalidArgument, input.Message, target ?? input.Findings[0].Field, input);
                case FmsConflictException conflict:
                    return new FmsError("ConcurrentModification", FmsErrorCategory.ResourceBusy, conflict.Message, target ?? conflict.CurrentVersion, conflict,
                        "Read the object again (Get-Fms...), re-apply your change and retry.");
                case AwsRequestValidationException invalid:
                    return new FmsError("InvalidParameter", FmsErrorCategory.InvalidArgument, invalid.Message, target ?? invalid.MemberPath, invalid);
                case AwsServiceException aws:
                    return new FmsError(aws.ErrorCode, CategoryOf(aws),
                        aws.RequestId == null ? aws.Message : $"{aws.Message} (request id {aws.RequestId})", target, aws);
                case AwsCredentialException credentials:
                    return FmsConnectedCmdlet.CredentialError(credentials);
                case AwsTransportException unreachable when unreachable.UnreachableBecause != null && !unreachable.MayHaveBeenApplied:
                    return new FmsError("EndpointUnreachable", FmsErrorCategory.ConnectionError, unreachable.Message, unreachable.Endpoint.ToString(), unreachable,
                        "Check the endpoint URL (-EndpointUrl, AWS_ENDPOINT_URL*, endpoint_url in the AWS config file) and that the service runs there.");
                case AwsTransportException lost when lost.MayHaveBeenApplied:
                    return new FmsError("OutcomeUnknown", FmsErrorCategory.ConnectionError, lost.Message, target, lost,
                        "Read the object (Get-Fms...) to see whether the change was applied before running the command again.");
                case AwsTransportException failed when !failed.MayHaveBeenApplied:
                    return new FmsError("ConnectionFailed", FmsErrorCategory.ConnectionError, failed.Message, failed.Endpoint.ToString(), failed);
                case OperationCanceledException _:
                    return new FmsError("OperationCanceled", FmsErrorCategory.OperationStopped, exception.Message, target, exception);
                case TimeoutException _:
                    return new FmsError("OperationTimeout", FmsErrorCategory.OperationTimeout, exception.Message, target, exception);
                case ArgumentException _:
                    return new FmsError("InvalidArgument", FmsErrorCategory.InvalidArgument, exception.Message, target, exception);
                case System.IO.IOException _:
                    return new FmsError("IOError", FmsErrorCategory.WriteError, exception.Message, target, exception);
                case UnauthorizedAccessException _:
                    return new FmsError("AccessDenied", FmsErrorCategory.PermissionDenied, exception.Message, target, exception);
                default:
                    return new FmsError("UnexpectedError", FmsErrorCategory.NotSpecified, exception.Message, target, exception);
            }
        }

        /// <summary>Errors that concern one pipeline item; anything else stops the command.</summary>
        public static bool IsItemError(Exception e)
            => e is AwsServiceException || e is FmsInputException || e is FmsConflictException || e is AwsRequestValidationException
               || e is FmsItemException;

        /// <summary>The PowerShell category for an AWS error code.</summary>
        public static FmsErrorCategory CategoryOf(AwsServiceException e)
        {
            switch (e.ErrorCode)
            {
                case "ResourceNotFoundException":
                case "AWSOrganizationsNotInUseException":
                case "AccountNotFoundException":
                case "OrganizationalUnitNotFoundException":
                case "ParentNotFoundException":
                case "WAFNonexistentItemException":
                    return FmsErrorCategory.ObjectNotFound;
                case "InvalidInputException":
                case "ValidationException":
                case "WAFInvalidParameterException":
                case "SerializationException":
                    return FmsErrorCategory.InvalidArgument;
                case "InvalidOperationException":
                case "WAFInvalidOperationException":
                    return FmsErrorCategory.InvalidOperation;
                case "InvalidTypeException":
                    return FmsErrorCategory.InvalidType;
                case "LimitExceededException":
                case "WAFLimitsExceededException":
                    return FmsErrorCategory.LimitsExceeded;
                case "AccessDeniedException":
                case "AccessDeniedForDependencyException":
                    return FmsErrorCategory.PermissionDenied;
                case "UnrecognizedClientException":
                case "InvalidSignatureException":
                case "IncompleteSignature":
                case "MissingAuthenticationToken":
                case "ExpiredTokenException":
                case "InvalidClientTokenId":
                    return FmsErrorCategory.AuthenticationError;
                case "ThrottlingException":
                case "TooManyRequestsException":
                    return FmsErrorCategory.ResourceBusy;
                case "InternalErrorException":
                case "ServiceException":
                case "WAFInternalErrorException":
                    return FmsErrorCategory.ResourceUnavailable;
            }
            return (int)e.StatusCode >= 500 ? FmsErrorCategory.ResourceUnavailable : FmsErrorCategory.NotSpecified;
        }
    }
}
