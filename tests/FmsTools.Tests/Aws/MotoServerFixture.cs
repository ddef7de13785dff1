using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws;
using Xunit;

namespace FmsTools.Tests.Aws
{
    /// <summary>
    /// Runs `python3 -m moto.server` on 127.0.0.1 and a free port for one test class, waits (bounded) until it
    /// answers, and kills it afterwards. When moto is unavailable the tests using it are skipped by
    /// <see cref="Infrastructure.RequiresFactAttribute"/> (Prerequisite.Moto), so the fixture then does nothing.
    /// </summary>
    public sealed class MotoServerFixture : IAsyncLifetime
    {
        private Process? _process;

        public string Url { get; private set; } = "";

        public bool Running => _process != null;

        public async Task InitializeAsync()
        {
            if (PythonTooling.MotoProblem.Length > 0) return;
            var port = FreePort();
            var psi = new ProcessStartInfo("python3", $"-m moto.server -H 127.0.0.1 -p {port}")
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Url = $"http://127.0.0.1:{port}";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                if (_process.HasExited) throw new InvalidOperationException($"moto.server exited with code {_process.ExitCode}");
                try
                {
                    var response = await http.GetAsync(Url + "/moto-api/");
                    if (response.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                if (DateTime.UtcNow > deadline) throw new TimeoutException("moto.server did not answer within 60 s at " + Url);
                await Task.Delay(200);
            }
        }

        public AwsSession Session(IAwsCallObserverSink? observer = null)
        {
            var options = AwsTestSupport.IsolatedOptions();
            options.Region = "us-east-1";
            options.EndpointUrl = Url;
            options.AccessKey = "testing";
            options.SecretKey = "testing";
            options.Observer = observer?.Observer;
            return AwsSessionFactory.Create(options);
        }

        public Task DisposeAsync()
        {
            if (_process != null)
            {
                try
                {
                    if (!_process.HasExited)
                    {
                        _process.Kill(entireProcessTree: true);
                        _process.WaitForExit(10000);
                    }
                }
                catch (InvalidOperationException) { }
                _process.Dispose();
            }
            return Task.CompletedTask;
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }

    public interface IAwsCallObserverSink
    {
        FmsTools.Aws.Runtime.IAwsCallObserver Observer { get; }
    }
}
