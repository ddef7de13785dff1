using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FmsTools.Sandbox.Http
{
    /// <summary>Limits that keep one misbehaving client from hurting the rest.</summary>
    internal sealed class HttpServerLimits
    {
        public int MaxHeaderBytes { get; set; } = 32 * 1024;
        public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;
        public int MaxConnections { get; set; } = 1024;
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);
    }

    /// <summary>
    /// A small HTTP/1.1 server on loopback: keep-alive, Content-Length and chunked bodies, Expect:
    /// 100-continue, size limits, and the ability to reset a connection (fault injection). Built on
    /// TcpListener rather than HttpListener: it is faster, runs the same on .NET Framework and .NET,
    /// needs no URL ACL on Windows, and gives control over the socket.
    /// </summary>
    internal sealed class SandboxHttpServer : IDisposable
    {
        private static readonly byte[] ContinueResponse = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");
        private readonly Func<SandboxHttpRequest, CancellationToken, Task<SandboxHttpResponse>> _handler;
        private readonly HttpServerLimits _limits;
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly ConcurrentDictionary<TcpClient, byte> _connections = new ConcurrentDictionary<TcpClient, byte>();
        private Task? _acceptLoop;

        public SandboxHttpServer(int port, HttpServerLimits limits, Func<SandboxHttpRequest, CancellationToken, Task<SandboxHttpResponse>> handler)
        {
            _handler = handler;
            _limits = limits;
            _listener = new TcpListener(IPAddress.Loopback, port);
        }

        public int Port { get; private set; }

        public void Start()
        {
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
            _listener.Start(512);
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException) { return; }
                catch (SocketException) when (_stopping.IsCancellationRequested) { return; }
                catch (SocketException) { continue; }
                catch (InvalidOperationException) { return; }

                if (_connections.Count >= _limits.MaxConnections)
                {
                    client.Dispose();
                    continue;
                }
                client.NoDelay = true;
                _connections[client] = 0;
                _ = Task.Run(() => ServeConnectionAsync(client));
            }
        }

        private async Task ServeConnectionAsync(TcpClient client)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            // Disposing the socket is the one way to interrupt a pending read on every framework.
            using var registration = idle.Token.Register(() => client.Dispose());
            try
            {
                var stream = client.GetStream();
                var reader = new ConnectionReader(stream, _limits);
                while (!_stopping.IsCancellationRequested)
                {
                    idle.CancelAfter(_limits.IdleTimeout);
                    var outcome = await reader.ReadRequestAsync(stream, idle.Token).ConfigureAwait(false);
                    idle.CancelAfter(Timeout.Infinite);
                    if (outcome.Request is null)
                    {
                        if (outcome.ErrorStatus != 0)
                        {
                            var error = SandboxHttpResponse.Text(outcome.ErrorStatus, outcome.ErrorMessage + "\n");
                            error.CloseConnection = true;
                            await WriteResponseAsync(stream, error, _stopping.Token).ConfigureAwait(false);
                        }
                        return;
                    }

                    SandboxHttpResponse response;
                    try
                    {
                        response = await _handler(outcome.Request, _stopping.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                    {
                        return;
                    }
                    if (response.ResetConnection)
                    {
                        // Linger 0 makes Close send RST: the client sees "connection reset by peer".
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                    }
                    var close = response.CloseConnection || !outcome.KeepAlive;
                    if (close) response.Headers.Add(new KeyValuePair<string, string>("Connection", "close"));
                    await WriteResponseAsync(stream, response, _stopping.Token).ConfigureAwait(false);
                    if (close)
                    {
                        client.Client.Shutdown(SocketShutdown.Send);
                        return;
                    }
                }
            }
            catch (IOException) { }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
            catch (OperationCanceledException) { }
            finally
            {
                _connections.TryRemove(client, out _);
                client.Dispose();
            }
        }

        internal static async Task WriteResponseAsync(Stream stream, SandboxHttpResponse response, CancellationToken cancellationToken)
        {
            var head = new StringBuilder(256);
            head.Append("HTTP/1.1 ").Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(SandboxHttpResponse.ReasonPhrase(response.StatusCode)).Append("\r\n");
            head.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
            head.Append("Content-Length: ").Append(response.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            head.Append("Date: ").Append(DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
            foreach (var header in response.Headers) head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
            head.Append("\r\n");
            // One write (one segment on the wire), from a pooled buffer: head and body are copied, not allocated per response.
            var headText = head.ToString();
            var length = headText.Length + response.Body.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var headLength = Encoding.ASCII.GetBytes(headText, 0, headText.Length, buffer, 0);
                Buffer.BlockCopy(response.Body, 0, buffer, headLength, response.Body.Length);
                await stream.WriteAsync(buffer, 0, headLength + response.Body.Length, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public void Dispose()
        {
            if (_stopping.IsCancellationRequested) return;
            _stopping.Cancel();
            try { _listener.Stop(); } catch (SocketException) { }
            foreach (var connection in _connections.Keys) connection.Dispose();
            try { _acceptLoop?.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            _stopping.Dispose();
        }

        private sealed class ReadOutcome
        {
            public SandboxHttpRequest? Request;
            public bool KeepAlive;
            public int ErrorStatus;
            public string ErrorMessage = "";
        }

        /// <summary>Buffered request parser for one connection; leftover bytes carry to the next request.</summary>
        private sealed class ConnectionReader
        {
            private readonly HttpServerLimits _limits;
            private byte[] _buffer = new byte[16 * 1024];
            private int _start;
            private int _end;

            public ConnectionReader(Stream stream, HttpServerLimits limits) { _limits = limits; }

            public async Task<ReadOutcome> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
            {
                int headerEnd;
                while ((headerEnd = FindHeaderEnd()) < 0)
                {
                    if (_end - _start >= _limits.MaxHeaderBytes)
                        return new ReadOutcome { ErrorStatus = 431, ErrorMessage = "Request header block exceeds " + _limits.MaxHeaderBytes + " bytes." };
                    if (!await FillAsync(stream, cancellationToken).ConfigureAwait(false))
                        return new ReadOutcome(); // clean close between requests
                }

                var headerText = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
                _start = headerEnd + 4;
                var lines = headerText.Split(new[] { "\r\n" }, StringSplitOptions.None);
                var requestLine = lines[0].Split(' ');
                if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                    return new ReadOutcome { ErrorStatus = 400, ErrorMessage = "Malformed request line." };
                var headers = new List<KeyValuePair<string, string>>(lines.Length);
                for (var i = 1; i < lines.Length; i++)
                {
                    var colon = lines[i].IndexOf(':');
                    if (colon <= 0) return new ReadOutcome { ErrorStatus = 400, ErrorMessage = "Malformed header line." };
                    headers.Add(new KeyValuePair<string, string>(lines[i].Substring(0, colon).Trim(), lines[i].Substring(colon + 1).Trim()));
                }

                string? Find(string name)
                {
                    foreach (var header in headers)
                        if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)) return header.Value;
                    return null;
                }

                var http10 = requestLine[2] == "HTTP/1.0";
                var connection = Find("Connection");
                var keepAlive = http10
                    ? connection != null && connection.IndexOf("keep-alive", StringComparison.OrdinalIgnoreCase) >= 0
                    : connection is null || connection.IndexOf("close", StringComparison.OrdinalIgnoreCase) < 0;
                var expectContinue = string.Equals(Find("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase);
                var transferEncoding = Find("Transfer-Encoding");
                var contentLengthText = Find("Content-Length");

                byte[] body;
                if (transferEncoding != null && transferEncoding.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    if (expectContinue) await stream.WriteAsync(ContinueResponse, 0, ContinueResponse.Length, cancellationToken).ConfigureAwait(false);
                    var chunked = await ReadChunkedAsync(stream, cancellationToken).ConfigureAwait(false);
                    if (chunked is null)
                        return new ReadOutcome { ErrorStatus = 413, ErrorMessage = "Request body exceeds " + _limits.MaxBodyBytes + " bytes or is malformed." };
                    body = chunked;
                }
                else if (contentLengthText != null)
                {
                    if (!long.TryParse(contentLengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                        return new ReadOutcome { ErrorStatus = 400, ErrorMessage = "Invalid Content-Length." };
                    if (length > _limits.MaxBodyBytes)
                        return new ReadOutcome { ErrorStatus = 413, ErrorMessage = "Request body of " + length + " bytes exceeds the limit of " + _limits.MaxBodyBytes + " bytes." };
                    if (expectContinue && length > 0)
                        await stream.WriteAsync(ContinueResponse, 0, ContinueResponse.Length, cancellationToken).ConfigureAwait(false);
                    body = new byte[length];
                    var copied = 0;
                    while (copied < length)
                    {
                        if (_start == _end && !await FillAsync(stream, cancellationToken).ConfigureAwait(false))
                            return new ReadOutcome();
                        var take = (int)Math.Min(length - copied, _end - _start);
                        Buffer.BlockCopy(_buffer, _start, body, copied, take);
                        _start += take;
                        copied += take;
                    }
                }
                else
                {
                    body = Array.Empty<byte>();
                }

                return new ReadOutcome
                {
                    Request = new SandboxHttpRequest(requestLine[0], requestLine[1], headers, body),
                    KeepAlive = keepAlive,
                };
            }

            private async Task<byte[]?> ReadChunkedAsync(Stream stream, CancellationToken cancellationToken)
            {
                using var body = new MemoryStream();
                while (true)
                {
                    var line = await ReadLineAsync(stream, cancellationToken).ConfigureAwait(false);
                    if (line is null) return null;
                    var semicolon = line.IndexOf(';');
                    var sizeText = semicolon < 0 ? line : line.Substring(0, semicolon);
                    if (!int.TryParse(sizeText.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0) return null;
                    if (size == 0)
                    {
                        // Trailers end with an empty line.
                        while (true)
                        {
                            var trailer = await ReadLineAsync(stream, cancellationToken).ConfigureAwait(false);
                            if (trailer is null) return null;
                            if (trailer.Length == 0) return body.ToArray();
                        }
                    }
                    if (body.Length + size > _limits.MaxBodyBytes) return null;
                    var remaining = size;
                    while (remaining > 0)
                    {
                        if (_start == _end && !await FillAsync(stream, cancellationToken).ConfigureAwait(false)) return null;
                        var take = Math.Min(remaining, _end - _start);
                        body.Write(_buffer, _start, take);
                        _start += take;
                        remaining -= take;
                    }
                    var terminator = await ReadLineAsync(stream, cancellationToken).ConfigureAwait(false);
                    if (terminator is null || terminator.Length != 0) return null;
                }
            }

            private async Task<string?> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
            {
                while (true)
                {
                    for (var i = _start; i + 1 < _end; i++)
                    {
                        if (_buffer[i] == '\r' && _buffer[i + 1] == '\n')
                        {
                            var line = Encoding.ASCII.GetString(_buffer, _start, i - _start);
                            _start = i + 2;
                            return line;
                        }
                    }
                    if (_end - _start > _limits.MaxHeaderBytes) return null;
                    if (!await FillAsync(stream, cancellationToken).ConfigureAwait(false)) return null;
                }
            }

            private int FindHeaderEnd()
            {
                for (var i = _start; i + 3 < _end; i++)
                    if (_buffer[i] == '\r' && _buffer[i + 1] == '\n' && _buffer[i + 2] == '\r' && _buffer[i + 3] == '\n') return i;
                return -1;
            }

            private async Task<bool> FillAsync(Stream stream, CancellationToken cancellationToken)
            {
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                if (_end == _buffer.Length)
                {
                    var larger = new byte[_buffer.Length * 2];
                    Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                    _buffer = larger;
                }
                var read = await stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
                if (read <= 0) return false;
                _end += read;
                return true;
            }
        }
    }
}
