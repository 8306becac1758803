using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using DiffGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Tests.Infrastructure
{
    /// <summary>The result of running the generator on some source: what it generated and reported, and the compiled program.</summary>
    public sealed class GeneratorRun
    {
        public required CSharpCompilation Input { get; init; }
        public required Compilation Output { get; init; }
        public required GeneratorDriverRunResult Result { get; init; }
        public required GeneratorDriver Driver { get; init; }

        /// <summary>Diagnostics the generator reported (DG####).</summary>
        public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

        /// <summary>Generated files by hint name.</summary>
        public IReadOnlyDictionary<string, string> Sources =>
            Result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        /// <summary>Compiler errors and warnings in the program with the generated code added (warnings included).</summary>
        public IEnumerable<Diagnostic> CompileDiagnostics =>
            Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);

        public string Source(string hintFragment) => Sources.Single(s => s.Key.Contains(hintFragment, StringComparison.Ordinal)).Value;

        /// <summary>The generated <c>{method}Gradient</c> of a scalar method, from its signature to its pullback's.</summary>
        public string Gradient(string hintFragment, string method)
        {
            string code = Source(hintFragment);
            int start = code.IndexOf("double " + method + "Gradient(", StringComparison.Ordinal);
            int end = start < 0 ? -1 : code.IndexOf("double " + method + "Backward(", start, StringComparison.Ordinal);
            if (start < 0 || end < 0)
            {
                throw new InvalidOperationException("No " + method + "Gradient followed by " + method + "Backward in " + hintFragment);
            }

            return code.Substring(start, end - start);
        }
    }

    /// <summary>Runs the DiffGen generator in memory, compiles the result, and loads it so tests can call the generated methods.</summary>
    public static class GeneratorHarness
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
        {
            var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            var list = trusted.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
            list.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
            list.Add(MetadataReference.CreateFromFile(typeof(DiffGen.Generated.ValueStack<>).Assembly.Location));
            return list.ToImmutableArray();
        });

        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

        public static CSharpCompilation CreateCompilation(params string[] sources) =>
            CSharpCompilation.Create(
                "DiffGenTest" + Guid.NewGuid().ToString("N"),
                sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Model" + (i == 0 ? string.Empty : i.ToString()) + ".cs")),
                s_references.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                    allowUnsafe: false, warningLevel: 9999, optimizationLevel: OptimizationLevel.Release));

        public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        public static GeneratorRun Run(params string[] sources)
        {
            var input = CreateCompilation(sources);
            var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out _);
            return new GeneratorRun { Input = input, Output = output, Result = driver.GetRunResult(), Driver = driver };
        }

        /// <summary>Runs the generator, asserts it reported no error and the output compiles warning-free, and loads the assembly.</summary>
        public static Assembly Load(params string[] sources)
        {
            var run = Run(sources);
            var errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException("Generator reported:\n" + string.Join("\n", errors));
            }

            // Errors anywhere; warnings only in generated files (the test's own model code is the user's business).
            var problems = run.CompileDiagnostics
                .Where(d => d.Id != "CS1591" && (d.Severity == DiagnosticSeverity.Error || d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true))
                .ToList();
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("Generated code does not compile cleanly:\n" + string.Join("\n", problems) + "\n\n" + string.Join("\n\n", run.Sources.Values));
            }

            using var stream = new MemoryStream();
            var emit = run.Output.Emit(stream);
            if (!emit.Success)
            {
                throw new InvalidOperationException(string.Join("\n", emit.Diagnostics));
            }

            stream.Position = 0;
            return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
        }
    }
}
