using System;
using System.Threading;
using FmsTools.Engine.History;

namespace FmsTools.JournalWriter
{
    /// <summary>
    /// journal-writer FOLDER WRITER COUNT PAYLOAD-BYTES
    /// Prints "ready" once loaded, waits for a line on standard input (the start signal every writer gets at once),
    /// then appends COUNT entries with ids WRITER-0 .. WRITER-(COUNT-1), each carrying a payload made of the writer's
    /// name, so a torn or interleaved line is visible to the test. Prints "done" and exits 0.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 4)
            {
                Console.Error.WriteLine("usage: journal-writer FOLDER WRITER COUNT PAYLOAD-BYTES");
                return 2;
            }
            var folder = args[0];
            var writer = args[1];
            var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
            var payload = Payload(writer, int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
            var store = new ChangeJournalStore(folder);
            // Everything is loaded and JIT-compiled before the start signal, so the writers really overlap.
            _ = System.Text.Json.JsonSerializer.Serialize(new FmsChangeEntry());
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            if (Console.In.ReadLine() == null) return 3;
            var time = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < count; i++)
            {
                store.AppendAsync(new FmsChangeEntry
                {
                    Id = writer + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Time = time,
                    Operation = ChangeOperations.UpdateAppsList,
                    TargetType = nameof(ChangeTargetType.AppsList),
                    TargetId = writer,
                    BeforeDocument = payload,
                    Outcome = nameof(ChangeOutcome.Succeeded),
                }, CancellationToken.None).GetAwaiter().GetResult();
            }
            Console.Out.WriteLine("done");
            return 0;
        }

        /// <summary>The writer's name repeated to the given size: what each of its lines must carry intact.</summary>
        public static string Payload(string writer, int bytes)
        {
            var text = new System.Text.StringBuilder(bytes + writer.Length);
            while (text.Length < bytes) text.Append(writer).Append('|');
            return text.ToString(0, bytes);
        }
    }
}
