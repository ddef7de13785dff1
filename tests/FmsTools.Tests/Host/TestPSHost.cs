using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// The host of a test runspace: an interactive user who answers each prompt PowerShell shows (ShouldProcess under
    /// -Confirm or $ConfirmPreference, ShouldContinue) with the next answer queued, and whose console is
    /// <see cref="Width"/> columns wide. Every prompt is recorded; an unexpected one (nothing queued) is answered "No"
    /// and still recorded, so a test sees it.
    /// </summary>
    public sealed class TestPSHost : PSHost
    {
        private readonly TestHostUserInterface _ui;
        private readonly Guid _id = Guid.NewGuid();

        public TestPSHost(int width = 120)
        {
            _ui = new TestHostUserInterface(width);
        }

        /// <summary>Answers for the coming prompts, by label without the accelerator: "Yes", "Yes to All", "No", "No to All".</summary>
        public Queue<string> Answers => _ui.Answers;

        /// <summary>Every prompt shown: caption, message and the choices offered.</summary>
        public List<(string Caption, string Message, string[] Choices)> Prompts => _ui.Prompts;

        /// <summary>What Write-Host and the host's Write* received.</summary>
        public string Text => _ui.Text.ToString();

        public int Width => _ui.RawUI.BufferSize.Width;

        public override string Name => "FmsTools.TestHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void EnterNestedPrompt() => throw new NotSupportedException("A test host has no nested prompt (Suspend).");
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }

        private sealed class TestHostUserInterface : PSHostUserInterface
        {
            private readonly TestRawUserInterface _raw;

            public TestHostUserInterface(int width) { _raw = new TestRawUserInterface(width); }

            public Queue<string> Answers { get; } = new Queue<string>();
            public List<(string, string, string[])> Prompts { get; } = new List<(string, string, string[])>();
            public StringBuilder Text { get; } = new StringBuilder();

            public override PSHostRawUserInterface RawUI => _raw;

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                var labels = choices.Select(c => c.Label.Replace("&", "")).ToArray();
                Prompts.Add((caption, message, labels));
                var answer = Answers.Count > 0 ? Answers.Dequeue() : "No";
                var index = Array.FindIndex(labels, l => string.Equals(l, answer, StringComparison.OrdinalIgnoreCase));
                if (index < 0) throw new InvalidOperationException($"The prompt offers {string.Join(", ", labels)}, not '{answer}'.");
                return index;
            }

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
                => throw new InvalidOperationException($"Unexpected prompt for input: {caption} {message}");

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
                => throw new InvalidOperationException("Unexpected credential prompt.");

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
                PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
                => throw new InvalidOperationException("Unexpected credential prompt.");

            public override string ReadLine() => throw new InvalidOperationException("Unexpected ReadLine.");
            public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("Unexpected ReadLine.");

            public override void Write(string value) { lock (Text) Text.Append(value); }
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
            public override void WriteLine(string value) => Write(value + "\n");
            public override void WriteErrorLine(string value) => Write(value + "\n");
            public override void WriteDebugLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) { }
        }

        private sealed class TestRawUserInterface : PSHostRawUserInterface
        {
            private Size _buffer;

            public TestRawUserInterface(int width) { _buffer = new Size(width, 9999); }

            public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
            public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
            public override Size BufferSize { get => _buffer; set => _buffer = value; }
            public override Coordinates CursorPosition { get; set; }
            public override int CursorSize { get; set; } = 1;
            public override bool KeyAvailable => false;
            public override Size MaxPhysicalWindowSize => new Size(_buffer.Width, 50);
            public override Size MaxWindowSize => new Size(_buffer.Width, 50);
            public override Coordinates WindowPosition { get; set; }
            public override Size WindowSize { get => new Size(_buffer.Width, 50); set { } }
            public override string WindowTitle { get; set; } = "";
            public override void FlushInputBuffer() { }
            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
            public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("Unexpected ReadKey.");
            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        }
    }
}
