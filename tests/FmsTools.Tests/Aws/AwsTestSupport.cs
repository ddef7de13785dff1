using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using FmsTools.Aws;
using FmsTools.Aws.Runtime;

namespace FmsTools.Tests.Aws
{
    /// <summary>Collects call records.</summary>
    public sealed class RecordingObserver : IAwsCallObserver, IAwsCallObserverSink
    {
        public ConcurrentQueue<AwsCallRecord> Calls { get; } = new ConcurrentQueue<AwsCallRecord>();
        public void OnCall(AwsCallRecord call) => Calls.Enqueue(call);
        public IAwsCallObserver Observer => this;
    }

    /// <summary>Retry timing that records each requested backoff instead of sleeping.</summary>
    public sealed class RecordingRetryTiming
    {
        public List<TimeSpan> Delays { get; } = new List<TimeSpan>();

        public AwsRetryTiming Timing { get; }

        public RecordingRetryTiming(double jitter = 1.0)
        {
            Timing = new AwsRetryTiming(() => jitter, (delay, ct) =>
            {
                lock (Delays) Delays.Add(delay);
                return Task.CompletedTask;
            });
        }
    }

    internal static class AwsTestSupport
    {
        public const string AccessKey = "AKIDFMSTOOLSTEST0001";
        public const string SecretKey = "fmstools-test-secret-key-never-logged";

        public static AwsInvokerSettings Settings(LocalHttpServer server, RecordingObserver? observer = null, AwsRetryTiming? timing = null,
            int maxAttempts = 10, AwsRetryMode mode = AwsRetryMode.Standard) => new AwsInvokerSettings
            {
                Region = "us-east-1",
                EndpointUrl = server.Url,
                Observer = observer,
                RetryTiming = timing ?? new RecordingRetryTiming().Timing,
                MaxAttempts = maxAttempts,
                RetryMode = mode,
            };

        public static AwsJsonInvoker Invoker(AwsServiceDescriptor service, AwsInvokerSettings settings)
            => new AwsJsonInvoker(service, new BasicAWSCredentials(AccessKey, SecretKey), settings);

        /// <summary>Options isolated from the machine: empty environment, no default chain, no sleeping retries.</summary>
        public static AwsConnectionOptions IsolatedOptions(IDictionary<string, string>? environment = null)
        {
            var env = environment ?? new Dictionary<string, string>();
            return new AwsConnectionOptions
            {
                Environment = name => env.TryGetValue(name, out var v) ? v : null,
                DefaultCredentialChain = () => throw new AmazonClientException("Failed to resolve AWS credentials (test: default chain is empty)."),
                RetryTiming = new RecordingRetryTiming().Timing,
            };
        }

        public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
        {
            var list = new List<T>();
            await foreach (var item in source.WithCancellation(cancellationToken)) list.Add(item);
            return list;
        }
    }
}
