using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Aws.Runtime
{
    /// <summary>
    /// Sends one AWS JSON 1.1 operation (X-Amz-Target routing, application/x-amz-json-1.1) and returns
    /// its typed response. The generated clients call only this, so transport concerns (signing,
    /// retries, endpoints, logging) live in one place.
    /// </summary>
    public interface IAwsJsonInvoker
    {
        Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
            where TRequest : class
            where TResponse : class, new();
    }
}
