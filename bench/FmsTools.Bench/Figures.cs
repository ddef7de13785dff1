using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace FmsTools.Bench
{
    internal enum Verdict
    {
        /// <summary>Reported only: no target.</summary>
        Info,
        Pass,
        Miss,
    }

    /// <summary>One measured figure with its target.</summary>
    internal sealed class Figure
    {
        public Figure(string section, string name, string value, string target, Verdict verdict)
        {
            Section = section;
            Name = name;
            Value = value;
            Target = target;
            Verdict = verdict;
        }

        public string Section { get; }
        public string Name { get; }
        public string Value { get; }
        public string Target { get; }
        public Verdict Verdict { get; }
    }

    /// <summary>The figures of a run, printed as they are measured and as one table at the end.</summary>
    internal sealed class Figures
    {
        private readonly List<Figure> _figures = new List<Figure>();
        private readonly List<string> _notes = new List<string>();

        public IReadOnlyList<Figure> All => _figures;

        public static string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

        /// <summary>A figure that must be at most <paramref name="max"/>.</summary>
        public void AtMost(string section, string name, double value, double max, string unit = "×", string format = "0.00")
            => Add(new Figure(section, name, F(value, format) + unit, "≤ " + F(max, format) + unit, value <= max ? Verdict.Pass : Verdict.Miss));

        /// <summary>A figure that must be at least <paramref name="min"/>.</summary>
        public void AtLeast(string section, string name, double value, double min, string unit = "×", string format = "0.0")
            => Add(new Figure(section, name, F(value, format) + unit, "≥ " + F(min, format) + unit, value >= min ? Verdict.Pass : Verdict.Miss));

        public void Info(string section, string name, string value) => Add(new Figure(section, name, value, "reported", Verdict.Info));

        public void Check(string section, string name, bool ok, string detail)
            => Add(new Figure(section, name, detail, "agree", ok ? Verdict.Pass : Verdict.Miss));

        public void Note(string text)
        {
            _notes.Add(text);
            Console.WriteLine("  note: " + text);
        }

        private void Add(Figure figure)
        {
            _figures.Add(figure);
            Console.WriteLine($"  {figure.Name}: {figure.Value} (target {figure.Target}) {Label(figure.Verdict)}");
        }

        private static string Label(Verdict verdict) => verdict == Verdict.Pass ? "PASS" : verdict == Verdict.Miss ? "MISS" : "";

        public void PrintTable()
        {
            Console.WriteLine();
            Console.WriteLine("=== Figures");
            var nameWidth = Math.Min(70, _figures.Select(f => f.Name.Length).DefaultIfEmpty(10).Max());
            var valueWidth = Math.Min(40, _figures.Select(f => f.Value.Length).DefaultIfEmpty(10).Max());
            var targetWidth = _figures.Select(f => f.Target.Length).DefaultIfEmpty(6).Max();
            string section = "";
            foreach (var figure in _figures)
            {
                if (figure.Section != section)
                {
                    section = figure.Section;
                    Console.WriteLine(section);
                }
                Console.WriteLine("  " + figure.Name.PadRight(nameWidth) + "  " + figure.Value.PadLeft(valueWidth) + "  " + figure.Target.PadRight(targetWidth)
                    + "  " + Label(figure.Verdict));
            }
            if (_notes.Count > 0)
            {
                Console.WriteLine("Notes");
                foreach (var note in _notes) Console.WriteLine("  - " + note);
            }
            var misses = _figures.Count(f => f.Verdict == Verdict.Miss);
            var passes = _figures.Count(f => f.Verdict == Verdict.Pass);
            Console.WriteLine($"{passes} PASS, {misses} MISS, {_figures.Count(f => f.Verdict == Verdict.Info)} reported");
        }
    }
}
