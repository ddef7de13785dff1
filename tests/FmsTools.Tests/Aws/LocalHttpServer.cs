using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Tests.Aws
{
    /// <summary>A request as the local server saw it.</summary>
    public sealed class RecordedRequest
    {
        public string Method { get; init; } = "";
        public string Path { get; init; } = "";
        public Dictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public byte[] Body { get; init; } = Array.Empty<byte>();
        public string BodyText => Encoding.UTF8.GetString(Body);
        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    }

    /// <summary>What the local server answers; <see cref="DropConnection"/> closes the socket without answering.</summary>
    public sealed class CannedResponse
    {
        public int Status { get; init; } = 200;
        public string Body { get; init; } = "{}";
        public string ContentType { get; init; } = "application/x-amz-json-1.1";
        public Dictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
        public bool DropConnection { get; init; }

        /// <summary>Send the body with Transfer-Encoding: chunked (in chunks of this many bytes) instead of a Content-Length.</summary>
        public int ChunkSize { get; init; }

        /// <summary>When set, the server waits for this before answering (to test cancellation of in-flight calls).</summary>
        public Task? HoldUntil { get; init; }

        public static CannedResponse Json(string body, string requestId = "req-ok") => new CannedResponse
        {
            Body = body,
            Headers = new Dictionary<string, string> { ["x-amzn-RequestId"] = requestId },
        };

        public static CannedResponse Error(int status, string body, string requestId, string? errorTypeHeader = null)
        {
            var headers = new Dictionary<string, string> { ["x-amzn-RequestId"] = requestId };
            if (errorTypeHeader != null) headers["x-amzn-ErrorType"] = errorTypeHeader;
            return new CannedResponse { Status = status, Body = body, Headers = headers };
        }
    }

    /// <summary>
    /// A minimal HTTP/1.1 server on 127.0.0.1 and a free port (one request per connection), recording every
    /// request. Enough to stand in for an AWS JSON endpoint or STS in behaviour tests.
    /// </summary>
    public sealed class LocalHttpServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Func<RecordedRequest, int, CannedResponse> _handler;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _loop;
        private int _count;

        public LocalHttpServer(Func<RecordedRequest, int, CannedResponse> handler)
        {
            _handler = handler;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _loop = Task.Run(AcceptLoop);
        }

        public int Port { get; }

        public string Url => $"http://127.0.0.1:{Port}";

        public ConcurrentQueue<RecordedRequest> Requests { get; } = new ConcurrentQueue<RecordedRequest>();

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var request = await ReadRequest(stream);
                    if (request == null) return;
                    Requests.Enqueue(request);
                    var index = Interlocked.Increment(ref _count);
                    var response = _handler(request, index);
                    if (response.HoldUntil != null)
                        await Task.WhenAny(response.HoldUntil, Task.Delay(Timeout.Infinite, _stop.Token));
                    if (response.DropConnection)
                    {
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }
                    var body = Encoding.UTF8.GetBytes(response.Body);
                    var head = new StringBuilder();
                    head.Append($"HTTP/1.1 {response.Status} {((HttpStatusCode)response.Status)}\r\n");
                    head.Append($"Content-Type: {response.ContentType}\r\n");
                    head.Append(response.ChunkSize > 0 ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
                    head.Append("Connection: close\r\n");
                    foreach (var h in response.Headers) head.Append($"{h.Key}: {h.Value}\r\n");
                    head.Append("\r\n");
                    var headBytes = Encoding.ASCII.GetBytes(head.ToString());
                    await stream.WriteAsync(headBytes, 0, headBytes.Length);
                    if (response.ChunkSize > 0) await WriteChunked(stream, body, response.ChunkSize);
                    else await stream.WriteAsync(body, 0, body.Length);
                    await stream.FlushAsync();
                }
                catch (IOException)
                {
                    // The client went away (cancellation tests); nothing to answer.
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        private static async Task WriteChunked(NetworkStream stream, byte[] body, int chunkSize)
        {
            for (var at = 0; at < body.Length; at += chunkSize)
            {
                var n = Math.Min(chunkSize, body.Length - at);
                var size = Encoding.ASCII.GetBytes(n.ToString("x") + "\r\n");
                await stream.WriteAsync(size, 0, size.Length);
                await stream.WriteAsync(body, at, n);
                await stream.WriteAsync(new byte[] { (byte)'\r', (byte)'\n' }, 0, 2);
                await stream.FlushAsync();
            }
            var end = Encoding.ASCII.GetBytes("0\r\n\r\n");
            await stream.WriteAsync(end, 0, end.Length);
        }

        private static async Task<RecordedRequest?> ReadRequest(NetworkStream stream)
        {
            var buffer = new MemoryStream();
            var one = new byte[1];
            // Headers end at CRLFCRLF; cap at 64 KiB so a broken client cannot grow this without bound.
            while (buffer.Length < 65536)
            {
                var n = await stream.ReadAsync(one, 0, 1);
                if (n == 0) return null;
                buffer.WriteByte(one[0]);
                var b = buffer.GetBuffer();
                var len = (int)buffer.Length;
                if (len >= 4 && b[len - 4] == '\r' && b[len - 3] == '\n' && b[len - 2] == '\r' && b[len - 1] == '\n') break;
            }
            var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n");
            var first = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines[1..])
            {
                var colon = line.IndexOf(':');
                if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
            var body = new byte[length];
            var read = 0;
            while (read < length)
            {
                var n = await stream.ReadAsync(body, read, length - read);
                if (n == 0) break;
                read += n;
            }
            return new RecordedRequest { Method = first[0], Path = first.Length > 1 ? first[1] : "", Headers = headers, Body = body };
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            _stop.Dispose();
        }
    }
}
