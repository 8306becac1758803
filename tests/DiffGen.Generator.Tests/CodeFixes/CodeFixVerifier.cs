using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace DiffGen.Generator.Tests.CodeFixes
{
    /// <summary>
    /// Roslyn's code-fix test (Microsoft.CodeAnalysis.CSharp.CodeFix.Testing) with DiffGen's generator as the source of
    /// the diagnostics, the way the IDE gets them: no analyzer, the generator runs on the test project and reports
    /// DG####. The library checks that the diagnostics of the source are exactly those marked (<c>{|DG0001:F|}</c>,
    /// compiler errors included), applies the fix one diagnostic at a time and with Fix All in document, project and
    /// solution scope, and checks that each way gives the fixed source, which must then have exactly the diagnostics
    /// marked in it (usually none: no DG diagnostic and no compiler error, generated code included).
    /// </summary>
    public sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, TCodeFix, DefaultVerifier>
        where TCodeFix : CodeFixProvider, new()
    {
        public CodeFixTest()
        {
            // The library's default reference assemblies are downloaded at test time (the mirror lacks them); the
            // SDK that runs the tests has its own net10.0 reference pack.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(LocalReferences.Value);

            // The generated sources are the generator tests' business; here only the user's files matter.
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        /// <summary>The title the light bulb shows for the fix, checked when set.</summary>
        public string? ExpectedTitle
        {
            get => _expectedTitle;
            init
            {
                _expectedTitle = value;
                if (value is not null)
                {
                    CodeActionVerifier = (action, verifier) => verifier.Equal(value, action.Title, "code action title");
                }
            }
        }

        private readonly string? _expectedTitle;

        /// <summary>
        /// With <see cref="CodeFixTestBehaviors.FixOne"/>: the diagnostic whose light bulb is used (the library's default
        /// is the first one).
        /// </summary>
        public Func<ImmutableArray<Diagnostic>, Diagnostic?>? SelectDiagnostic { get; init; }

        protected override Diagnostic? TrySelectDiagnosticToFix(ImmutableArray<Diagnostic> fixableDiagnostics)
            => SelectDiagnostic is { } select ? select(fixableDiagnostics) : base.TrySelectDiagnosticToFix(fixableDiagnostics);

        private static readonly Lazy<MetadataReference[]> LocalReferences = new(() =>
        {
            string dotnet = Path.GetDirectoryName(Environment.ProcessPath) ?? throw new InvalidOperationException("no process path");
            // Under 'dotnet test' the process is dotnet/dotnet or testhost next to the test assembly; find the SDK root.
            string? root = FindDotnetRoot(dotnet) ?? FindDotnetRoot(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            if (root is null)
            {
                throw new InvalidOperationException("The .NET SDK's packs/Microsoft.NETCore.App.Ref folder was not found.");
            }

            string version = typeof(object).Assembly.GetName().Version!.Major + ".";
            string pack = Directory.GetDirectories(Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref"))
                .Where(d => Path.GetFileName(d).StartsWith(version, StringComparison.Ordinal))
                .OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0))
                .Last();
            var references = Directory.GetFiles(Directory.GetDirectories(Path.Combine(pack, "ref")).Single(), "*.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList();
            references.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
            return references.ToArray();
        });

        /// <summary>The folder holding packs/Microsoft.NETCore.App.Ref, at or above <paramref name="start"/>.</summary>
        private static string? FindDotnetRoot(string start)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "packs", "Microsoft.NETCore.App.Ref")))
                {
                    return dir.FullName;
                }
            }

            return null;
        }

        protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(DifferentiableGenerator) };

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
    }

    /// <summary>Short forms of <see cref="CodeFixTest{TCodeFix}"/>.</summary>
    public static class CodeFixVerifier<TCodeFix>
        where TCodeFix : CodeFixProvider, new()
    {
        /// <summary>One file: <paramref name="source"/> with its diagnostics marked, fixed into <paramref name="fixedSource"/>.</summary>
        public static Task VerifyAsync(string source, string fixedSource, string? title = null) =>
            new CodeFixTest<TCodeFix> { TestCode = source, FixedCode = fixedSource, ExpectedTitle = title }.RunAsync();

        /// <summary>Several files (Model.cs, Model1.cs, ... in the test project), fixed together.</summary>
        public static Task VerifyAsync(string[] sources, string[] fixedSources, string? title = null)
        {
            var test = new CodeFixTest<TCodeFix> { ExpectedTitle = title };
            for (int i = 0; i < sources.Length; i++)
            {
                test.TestState.Sources.Add((FileName(i), sources[i]));
            }

            for (int i = 0; i < fixedSources.Length; i++)
            {
                test.FixedState.Sources.Add((FileName(i), fixedSources[i]));
            }

            return test.RunAsync();
        }

        /// <summary>The marked diagnostics are reported, and the provider offers no fix for them.</summary>
        public static Task VerifyNoFixAsync(string source) =>
            new CodeFixTest<TCodeFix> { TestCode = source, FixedCode = source }.RunAsync();

        private static string FileName(int i) => "Model" + (i == 0 ? string.Empty : i.ToString(System.Globalization.CultureInfo.InvariantCulture)) + ".cs";
    }
}
