using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace FmsTools.Engine.Reports
{
    /// <summary>One bar of a compliance chart: a label, the compliant and non-compliant counts behind the percentage.</summary>
    internal sealed class ChartBar
    {
        public ChartBar(string label, long compliant, long nonCompliant)
        {
            Label = label;
            Compliant = compliant;
            NonCompliant = nonCompliant;
        }

        public string Label { get; }
        public long Compliant { get; }
        public long NonCompliant { get; }
        public double Percent => ComplianceSummary.Percent(Compliant, Compliant + NonCompliant);
    }

    /// <summary>Inline SVG charts drawn by our own code (no library, no xmlns URL: HTML5 parses inline svg without it).</summary>
    internal static class HtmlCharts
    {
        private const int Width = 700;
        private const int LabelWidth = 250;
        private const int BarHeight = 16;
        private const int Gap = 6;

        private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        /// <summary>Horizontal bars, compliant share green and non-compliant share red, the percentage at the end.</summary>
        internal static void Bars(TextWriter w, string id, string title, IReadOnlyList<ChartBar> bars)
        {
            var height = Math.Max(1, bars.Count) * (BarHeight + Gap) + Gap;
            var barWidth = Width - LabelWidth - 70;
            w.Write($"<svg id=\"{id}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{HtmlReportWriter.E(title)}\">\n");
            for (var i = 0; i < bars.Count; i++)
            {
                var bar = bars[i];
                var y = Gap + i * (BarHeight + Gap);
                var known = bar.Compliant + bar.NonCompliant;
                var ok = known == 0 ? 0 : barWidth * (double)bar.Compliant / known;
                var label = bar.Label.Length > 38 ? bar.Label.Substring(0, 37) + "…" : bar.Label;
                w.Write($"<g class=\"bar\" data-label=\"{HtmlReportWriter.E(bar.Label)}\" data-percent=\"{N(bar.Percent)}\"><title>{HtmlReportWriter.E($"{bar.Label}: {N(bar.Percent)}% ({bar.Compliant} compliant, {bar.NonCompliant} non-compliant)")}</title>");
                w.Write($"<text x=\"0\" y=\"{y + 12}\">{HtmlReportWriter.E(label)}</text>");
                w.Write($"<rect class=\"bar-bg\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{barWidth}\" height=\"{BarHeight}\" />");
                if (known > 0)
                {
                    w.Write($"<rect class=\"bar-ok\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{N(ok)}\" height=\"{BarHeight}\" />");
                    w.Write($"<rect class=\"bar-bad\" x=\"{N(LabelWidth + ok)}\" y=\"{y}\" width=\"{N(barWidth - ok)}\" height=\"{BarHeight}\" />");
                }
                w.Write($"<text x=\"{LabelWidth + barWidth + 6}\" y=\"{y + 12}\">{(known == 0 ? "n/a" : N(bar.Percent) + "%")}</text></g>\n");
            }
            w.Write("</svg>\n");
        }

        /// <summary>Compliance percentage over time: a line through the readings, a dot with a tooltip each, dates on the axis.</summary>
        internal static void Trend(TextWriter w, IReadOnlyList<ComplianceTrendPoint> points)
        {
            const int height = 220, left = 40, right = 20, top = 10, bottom = 40;
            var plotWidth = Width - left - right;
            var plotHeight = height - top - bottom;
            w.Write($"<svg id=\"trend-chart\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"Compliance over time\">\n");
            foreach (var tick in new[] { 0, 50, 100 })
            {
                var y = top + plotHeight * (100 - tick) / 100.0;
                w.Write($"<line class=\"axis\" x1=\"{left}\" y1=\"{N(y)}\" x2=\"{Width - right}\" y2=\"{N(y)}\" /><text x=\"0\" y=\"{N(y + 4)}\">{tick}%</text>\n");
            }
            var first = points[0].Time;
            var span = (points[points.Count - 1].Time - first).TotalSeconds;
            double X(int i) => points.Count == 1 ? left + plotWidth / 2.0
                : span <= 0 ? left + plotWidth * i / (double)(points.Count - 1) : left + plotWidth * (points[i].Time - first).TotalSeconds / span;
            double Y(int i) => top + plotHeight * (100 - points[i].CompliancePercent) / 100.0;
            w.Write("<polyline class=\"line\" points=\"" + string.Join(" ", Enumerable.Range(0, points.Count).Select(i => N(X(i)) + "," + N(Y(i)))) + "\" />\n");
            for (var i = 0; i < points.Count; i++)
            {
                var p = points[i];
                var when = p.Time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                w.Write($"<g class=\"point\" data-time=\"{HtmlReportWriter.E(p.Time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}\" data-percent=\"{N(p.CompliancePercent)}\">"
                        + $"<title>{HtmlReportWriter.E($"{when} UTC: {N(p.CompliancePercent)}% compliant, {p.NonCompliantEvaluations} non-compliant ({p.Source})")}</title>"
                        + $"<circle class=\"dot\" cx=\"{N(X(i))}\" cy=\"{N(Y(i))}\" r=\"4\" /></g>\n");
                if (i == 0 || i == points.Count - 1 || points.Count <= 6)
                    w.Write($"<text x=\"{N(Math.Min(X(i), Width - 110))}\" y=\"{height - 12}\">{HtmlReportWriter.E(p.Time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}</text>\n");
            }
            w.Write("</svg>\n");
        }
    }
}
