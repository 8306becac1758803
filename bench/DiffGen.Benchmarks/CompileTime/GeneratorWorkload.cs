using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using DiffGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Benchmarks.CompileTime
{
    /// <summary>
    /// A compilation of <see cref="MethodCount"/> synthetic [Differentiable] methods (one file each) plus one unrelated
    /// file, and the two generator runs the benchmark times: a full run with a fresh driver on a fresh copy of the
    /// compilation, and an incremental run of a warm driver after an edit to the unrelated file.
    /// </summary>
    public sealed class GeneratorWorkload
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
        {
            var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            var list = trusted.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
            list.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
            list.Add(MetadataReference.CreateFromFile(typeof(DiffMath).Assembly.Location));
            return list.ToImmutableArray();
        });

        private readonly SyntaxTree _unrelated;
        private readonly SyntaxTree _unrelatedEdited;

        public GeneratorWorkload(int methodCount, bool trackSteps = false)
        {
            MethodCount = methodCount;
            TrackSteps = trackSteps;
            var trees = Enumerable.Range(0, methodCount)
                .Select(i => CSharpSyntaxTree.ParseText(SyntheticModels.Source(i), ParseOptions, path: $"Model{i}.cs"))
                .ToList();
            _unrelated = CSharpSyntaxTree.ParseText(SyntheticModels.Unrelated(1), ParseOptions, path: "Unrelated.cs");
            _unrelatedEdited = CSharpSyntaxTree.ParseText(SyntheticModels.Unrelated(2), ParseOptions, path: "Unrelated.cs");
            trees.Add(_unrelated);
            Compilation = CSharpCompilation.Create(
                "Synthetic" + methodCount,
                trees,
                s_references.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));
            WarmDriver = CreateDriver().RunGenerators(Compilation);
        }

        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

        public int MethodCount { get; }

        public bool TrackSteps { get; }

        /// <summary>The compilation without generated code.</summary>
        public CSharpCompilation Compilation { get; }

        /// <summary>A driver that has already run on <see cref="Compilation"/> (the state an IDE or a build server holds).</summary>
        public GeneratorDriver WarmDriver { get; }

        /// <summary>The compilation after the unrelated edit.</summary>
        public Compilation Edited() => Compilation.ReplaceSyntaxTree(_unrelated, _unrelatedEdited);

        public GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: TrackSteps));

        /// <summary>
        /// A fresh driver on a fresh copy of the compilation (<see cref="Compilation.Clone"/> drops the bound symbols),
        /// so the time includes binding the method bodies the generator reads, as in a clean build.
        /// </summary>
        public GeneratorDriver FullRun() => CreateDriver().RunGenerators(Compilation.Clone());

        /// <summary>
        /// For scale, no generator: what the compiler itself does with the same code short of emitting it (declare
        /// and bind every method body, report diagnostics) on a fresh copy of the compilation.
        /// </summary>
        public int CompileWithoutGenerator() => Compilation.Clone().GetDiagnostics().Length;

        /// <summary>The warm driver re-run after the unrelated edit.</summary>
        public GeneratorDriver IncrementalRun() => WarmDriver.RunGenerators(Edited());
    }
}
