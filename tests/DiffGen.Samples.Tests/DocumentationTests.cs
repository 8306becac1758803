using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using DiffGen.Samples.CurveFitting;
using Xunit;

namespace DiffGen.Samples.Tests
{
    public class DocumentationTests
    {
        private const string StartMarker = "<!-- generated-excerpt:start";
        private const string EndMarker = "<!-- generated-excerpt:end -->";

        [Fact]
        public void SamplesDoc_GeneratedCodeExcerpt_IsCopiedFromTheRealGeneratedFile()
        {
            string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "samples.md"));
            int start = doc.IndexOf(StartMarker, StringComparison.Ordinal);
            int end = doc.IndexOf(EndMarker, StringComparison.Ordinal);
            Assert.True(start >= 0 && end > start, "docs/samples.md has no generated-excerpt markers.");
            string[] excerpt = Lines(doc.Substring(start, end - start))
                .Where(line => !line.StartsWith("<!--", StringComparison.Ordinal) && !line.StartsWith("```", StringComparison.Ordinal))
                .ToArray();
            Assert.NotEmpty(excerpt);

            string? generatedPath = CurveFittingSample.FindGeneratedLossCode();
            Assert.NotNull(generatedPath);
            string[] generated = Lines(File.ReadAllText(generatedPath));

            // Every excerpt line appears in the generated file, in the same order (indentation aside).
            int position = 0;
            foreach (string line in excerpt)
            {
                int found = Array.IndexOf(generated, line, position);
                Assert.True(
                    found >= 0,
                    $"docs/samples.md quotes a line the generator no longer emits (or not in this order): \"{line}\". " +
                    $"Refresh the excerpt from {generatedPath}.");
                position = found + 1;
            }
        }

        private static string[] Lines(string text) =>
            text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();

        private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
    }
}
