using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DiffGen.CodeFixes;
using DiffGen.Generator.Tests.Diagnostics;
using DiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using AddNoDiff = DiffGen.Generator.Tests.CodeFixes.CodeFixVerifier<DiffGen.CodeFixes.AddNoDiffCodeFixProvider>;
using AddPartial = DiffGen.Generator.Tests.CodeFixes.CodeFixVerifier<DiffGen.CodeFixes.AddPartialCodeFixProvider>;
using AddStatic = DiffGen.Generator.Tests.CodeFixes.CodeFixVerifier<DiffGen.CodeFixes.AddStaticCodeFixProvider>;

namespace DiffGen.Generator.Tests.CodeFixes
{
    /// <summary>
    /// The code fixes, each as source before (diagnostics marked where the generator reports them) and after. The
    /// library also applies every fix through Fix All (document, project, solution) and checks the same result, and
    /// checks that the fixed source has no diagnostic left (none is marked in it): the generator then generates code
    /// for the method, and that code compiles.
    /// </summary>
    public sealed class CodeFixTests
    {
        // ------------------------------------------------------------------ DG0001: add 'static'

        [Fact]
        public Task DG0001_static_goes_after_the_accessibility_modifier() => AddStatic.VerifyAsync("""
            using DiffGen;

            public partial class Model
            {
                [Differentiable]
                public double {|DG0001:Loss|}(double w, [NoDiff] double x) => (w * x - 1) * (w * x - 1);
            }
            """, """
            using DiffGen;

            public partial class Model
            {
                [Differentiable]
                public static double Loss(double w, [NoDiff] double x) => (w * x - 1) * (w * x - 1);
            }
            """, title: "Make 'Loss' static");

        [Fact]
        public Task DG0001_without_modifiers_static_keeps_the_indentation_and_comments() => AddStatic.VerifyAsync("""
            using DiffGen;

            partial class Model
            {
                // The loss.
                [Differentiable]
                /* square */ double {|DG0001:Square|}(double x)
                {
                    return x * x; // trailing
                }
            }
            """, """
            using DiffGen;

            partial class Model
            {
                // The loss.
                [Differentiable]
                /* square */ static double Square(double x)
                {
                    return x * x; // trailing
                }
            }
            """);

        [Fact]
        public Task DG0001_readonly_struct_members_lose_readonly() => AddStatic.VerifyAsync("""
            using DiffGen;

            public partial struct Model
            {
                [Differentiable] internal readonly double {|DG0001:F|}(double x) => x * x;
                [Differentiable] readonly double {|DG0001:G|}(double x) => x * x;
            }
            """, """
            using DiffGen;

            public partial struct Model
            {
                [Differentiable] internal static double F(double x) => x * x;
                [Differentiable] static double G(double x) => x * x;
            }
            """);

        [Fact]
        public Task DG0001_static_follows_every_accessibility_modifier_and_precedes_the_others() => AddStatic.VerifyAsync("""
            using DiffGen;

            public class Base
            {
                public double G(double x) => x;
            }

            public partial class Model : Base
            {
                [Differentiable] protected internal double {|DG0001:F|}(double x) => x * x;
                [Differentiable] public new double {|DG0001:G|}(double x) => x * x;
            }
            """, """
            using DiffGen;

            public class Base
            {
                public double G(double x) => x;
            }

            public partial class Model : Base
            {
                [Differentiable] protected internal static double F(double x) => x * x;
                [Differentiable] public static new double G(double x) => x * x;
            }
            """);

        [Fact]
        public Task DG0001_in_nested_generic_types() => AddStatic.VerifyAsync("""
            using DiffGen;

            public partial class Outer<T>
            {
                private partial record Inner
                {
                    [Differentiable]
                    public double {|DG0001:F|}(double x) => x * x;
                }
            }
            """, """
            using DiffGen;

            public partial class Outer<T>
            {
                private partial record Inner
                {
                    [Differentiable]
                    public static double F(double x) => x * x;
                }
            }
            """);

        [Fact]
        public Task DG0001_fix_all_across_files()
        {
            // Each file's methods are fixed one by one, and all at once by Fix All in the project or solution.
            return AddStatic.VerifyAsync(
                new[]
                {
                    """
                    using DiffGen;

                    public partial class A
                    {
                        [Differentiable] public double {|DG0001:F|}(double x) => x * x;
                        [Differentiable] public double {|DG0001:G|}(double x) => x * x * x;
                    }
                    """,
                    """
                    using DiffGen;

                    public partial class B
                    {
                        [Differentiable] public double {|DG0001:H|}(double x) => x + x;
                    }
                    """,
                },
                new[]
                {
                    """
                    using DiffGen;

                    public partial class A
                    {
                        [Differentiable] public static double F(double x) => x * x;
                        [Differentiable] public static double G(double x) => x * x * x;
                    }
                    """,
                    """
                    using DiffGen;

                    public partial class B
                    {
                        [Differentiable] public static double H(double x) => x + x;
                    }
                    """,
                });
        }

        [Fact]
        public Task DG0001_a_body_that_reads_instance_state_then_gets_the_compiler_error_at_each_use() => AddStatic.VerifyAsync("""
            using DiffGen;

            public partial class Model
            {
                private readonly double _scale = 2;

                [Differentiable]
                public double {|DG0001:F|}(double x) => x * {|DG0015:_scale|};
            }
            """, """
            using DiffGen;

            public partial class Model
            {
                private readonly double _scale = 2;

                [Differentiable]
                public static double F(double x) => x * {|CS0120:_scale|};
            }
            """);

        [Fact]
        public Task DG0001_is_not_fixed_for_virtual_or_override_methods() => AddStatic.VerifyNoFixAsync("""
            using DiffGen;

            public class Base
            {
                public virtual double G(double x) => x;
                public virtual double H(double x) => x;
            }

            public partial class Model : Base
            {
                [Differentiable] public virtual double {|DG0001:F|}(double x) => x * x;
                [Differentiable] public override double {|DG0001:G|}(double x) => x * x;
                [Differentiable] public sealed override double {|DG0001:H|}(double x) => x * x;
            }
            """);

        // ------------------------------------------------------------------ DG0002: add 'partial'

        [Fact]
        public Task DG0002_partial_goes_last_before_class() => AddPartial.VerifyAsync("""
            using DiffGen;

            public static class {|DG0002:Model|}
            {
                [Differentiable]
                public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
            }
            """, """
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
            }
            """, title: "Make 'Model' partial");

        [Fact]
        public Task DG0002_without_modifiers_partial_starts_the_line_under_the_attributes() => AddPartial.VerifyAsync("""
            using System;
            using DiffGen;

            namespace App
            {
                // A model.
                [Serializable]
                class {|DG0002:Model|}
                {
                    [Differentiable] public static double F(double x) => x * x;
                }
            }
            """, """
            using System;
            using DiffGen;

            namespace App
            {
                // A model.
                [Serializable]
                partial class Model
                {
                    [Differentiable] public static double F(double x) => x * x;
                }
            }
            """);

        [Fact]
        public Task DG0002_nested_types_are_fixed_diagnostic_by_diagnostic_and_by_fix_all() => new CodeFixTest<AddPartialCodeFixProvider>
        {
            TestCode = """
                using DiffGen;

                public class {|DG0002:Outer|}
                {
                    public partial class Middle
                    {
                        public record struct {|DG0002:Inner|}(double A)
                        {
                            [Differentiable] public static double F(double x) => x * x;
                        }
                    }
                }
                """,
            FixedCode = """
                using DiffGen;

                public partial class Outer
                {
                    public partial class Middle
                    {
                        public partial record struct Inner(double A)
                        {
                            [Differentiable] public static double F(double x) => x * x;
                        }
                    }
                }
                """,
            // The first light bulb, on Outer, fixes Outer only; then Inner's fixes Inner. Fix All does it in one go.
            NumberOfIncrementalIterations = 2,
            NumberOfFixAllIterations = 1,
        }.RunAsync();

        [Fact]
        public Task DG0002_the_light_bulb_on_an_inner_type_names_and_fixes_every_type_it_changes() => new CodeFixTest<AddPartialCodeFixProvider>
        {
            TestCode = """
                using DiffGen;

                public class {|DG0002:Outer|}
                {
                    public struct {|DG0002:Inner|}
                    {
                        [Differentiable] public static double F(double x) => x * x;
                    }
                }
                """,
            FixedCode = """
                using DiffGen;

                public partial class Outer
                {
                    public partial struct Inner
                    {
                        [Differentiable] public static double F(double x) => x * x;
                    }
                }
                """,
            // One fix, Inner's: it must also fix Outer, whose own diagnostic then goes away.
            CodeFixTestBehaviors = CodeFixTestBehaviors.FixOne,
            SelectDiagnostic = diagnostics => diagnostics.Single(d => d.GetMessage().Contains("'Inner'", StringComparison.Ordinal)),
            ExpectedTitle = "Make 'Inner' and 'Outer' partial",
        }.RunAsync();

        [Fact]
        public Task DG0002_a_type_declared_in_two_files_gets_partial_where_it_is_missing() => AddPartial.VerifyAsync(
            new[]
            {
                """
                using DiffGen;

                public static class {|CS0260:{|DG0002:Model|}|}
                {
                    [Differentiable] public static double F(double x) => x * x;
                }
                """,
                """
                public static partial class Model
                {
                    public const double Scale = 2.0;
                }
                """,
            },
            new[]
            {
                """
                using DiffGen;

                public static partial class Model
                {
                    [Differentiable] public static double F(double x) => x * x;
                }
                """,
                """
                public static partial class Model
                {
                    public const double Scale = 2.0;
                }
                """,
            });

        [Fact]
        public Task DG0002_every_declaration_of_each_type_gets_partial_in_every_file() => AddPartial.VerifyAsync(
            new[]
            {
                """
                using DiffGen;

                namespace App
                {
                    internal class {|DG0002:Outer|}
                    {
                        internal class {|DG0002:Model|}
                        {
                            [Differentiable] public static double F(double x) => x * x;
                        }
                    }
                }
                """,
                """
                namespace App
                {
                    internal class {|CS0101:Outer|}
                    {
                        internal class Model
                        {
                            public const double Scale = 2.0;
                        }
                    }
                }
                """,
            },
            new[]
            {
                """
                using DiffGen;

                namespace App
                {
                    internal partial class Outer
                    {
                        internal partial class Model
                        {
                            [Differentiable] public static double F(double x) => x * x;
                        }
                    }
                }
                """,
                """
                namespace App
                {
                    internal partial class Outer
                    {
                        internal partial class Model
                        {
                            public const double Scale = 2.0;
                        }
                    }
                }
                """,
            });

        [Fact]
        public Task DG0002_two_methods_of_one_type_report_twice_and_fix_once() => AddPartial.VerifyAsync("""
            using DiffGen;

            public sealed class {|DG0002:{|DG0002:Model|}|}
            {
                [Differentiable] public static double F(double x) => x * x;
                [Differentiable] public static double G(double x) => x * x * x;
            }
            """, """
            using DiffGen;

            public sealed partial class Model
            {
                [Differentiable] public static double F(double x) => x * x;
                [Differentiable] public static double G(double x) => x * x * x;
            }
            """);

        // ------------------------------------------------------------------ DG0016: add [NoDiff]

        [Fact]
        public Task DG0016_NoDiff_is_added_to_the_jagged_parameter() => AddNoDiff.VerifyAsync("""
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double Score(double w, {|DG0016:double[][] rows|}) => w * rows[0][0];
            }
            """, """
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double Score(double w, [NoDiff] double[][] rows) => w * rows[0][0];
            }
            """, title: "Mark 'rows' [NoDiff] (data without a gradient)");

        [Fact]
        public Task DG0016_NoDiff_goes_before_existing_attributes_and_parameters_stay_one_per_line() => AddNoDiff.VerifyAsync("""
            using System.Diagnostics.CodeAnalysis;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double Score(
                    double w,
                    {|DG0016:[NotNull] double[][] rows|},
                    {|DG0016:[DisallowNull][NotNull] float[][]? more|})
                    => w * rows[0][0] + more![0][0];
            }
            """, """
            using System.Diagnostics.CodeAnalysis;
            using DiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double Score(
                    double w,
                    [NoDiff][NotNull] double[][] rows,
                    [NoDiff][DisallowNull][NotNull] float[][]? more)
                    => w * rows[0][0] + more![0][0];
            }
            """);

        [Fact]
        public Task DG0016_without_using_DiffGen_the_attribute_is_qualified() => AddNoDiff.VerifyAsync("""
            public static partial class Model
            {
                [DiffGen.Differentiable]
                public static double Score(double w, {|DG0016:double[][] rows|}) => w * rows[0][0];
            }
            """, """
            public static partial class Model
            {
                [DiffGen.Differentiable]
                public static double Score(double w, [DiffGen.NoDiff] double[][] rows) => w * rows[0][0];
            }
            """);

        [Fact]
        public Task DG0016_a_type_named_DiffGen_in_scope_makes_the_attribute_global_qualified() => AddNoDiff.VerifyAsync("""
            namespace App
            {
                public static class DiffGen
                {
                }

                public static partial class Model
                {
                    [global::DiffGen.Differentiable]
                    public static double Score(double w, {|DG0016:double[][] rows|}) => w * rows[0][0];
                }
            }
            """, """
            namespace App
            {
                public static class DiffGen
                {
                }

                public static partial class Model
                {
                    [global::DiffGen.Differentiable]
                    public static double Score(double w, [global::DiffGen.NoDiff] double[][] rows) => w * rows[0][0];
                }
            }
            """);

        [Fact]
        public Task DG0016_a_global_using_elsewhere_lets_the_short_name_bind() => AddNoDiff.VerifyAsync(
            new[]
            {
                """
                public static partial class Model
                {
                    [Differentiable]
                    public static double Score(double w, {|DG0016:double[][] rows|}) => w * rows[0][0];
                }
                """,
                "global using DiffGen;\n",
            },
            new[]
            {
                """
                public static partial class Model
                {
                    [Differentiable]
                    public static double Score(double w, [NoDiff] double[][] rows) => w * rows[0][0];
                }
                """,
                "global using DiffGen;\n",
            });

        // ------------------------------------------------------------------ the documentation

        [Fact]
        public Task DG0001_page_example_is_fixed_into_the_page_fix() => FixPageExample<AddStaticCodeFixProvider>("DG0001");

        [Fact]
        public Task DG0002_page_example_is_fixed_into_the_page_fix() => FixPageExample<AddPartialCodeFixProvider>("DG0002");

        [Fact]
        public void Every_fixed_id_is_catalogued_and_its_page_and_the_index_describe_the_code_fix()
        {
            string root = FuzzSources.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
            string index = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", "README.md"));
            var problems = new List<string>();
            foreach (var (id, title) in new[]
            {
                (DiagnosticIds.MethodNotStatic, "Differentiable method must be static"),
                (DiagnosticIds.TypeNotPartial, "Containing type must be partial"),
                (DiagnosticIds.ActiveJaggedArray, "Jagged arrays can only be [NoDiff] data"),
            })
            {
                if (!FuzzOracle.Catalogue.TryGetValue(id, out var descriptor) || descriptor.Title.ToString() != title)
                {
                    problems.Add(id + ": not catalogued as '" + title + "'");
                }

                if (!File.ReadAllText(Path.Combine(root, "docs", "diagnostics", id + ".md")).Contains("## Code fix", StringComparison.Ordinal))
                {
                    problems.Add(id + ": its page has no '## Code fix' section");
                }

                if (!Regex.IsMatch(index, @"\[" + id + @"\]\(" + id + @"\.md\)[^\n]*\| yes \|"))
                {
                    problems.Add(id + ": the index does not say 'yes' in its code fix column");
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        /// <summary>
        /// The page's first ```csharp block (the example) has its diagnostics where the generator reports them; the code
        /// fix, applied to each, must give the page's second block (the fix) exactly.
        /// </summary>
        private static Task FixPageExample<TCodeFix>(string id)
            where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
        {
            string root = FuzzSources.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
            var blocks = Regex.Matches(File.ReadAllText(Path.Combine(root, "docs", "diagnostics", id + ".md")), "```csharp\n(.*?)```", RegexOptions.Singleline)
                .Select(m => m.Groups[1].Value)
                .ToList();
            var test = new CodeFixTest<TCodeFix> { TestCode = blocks[0], FixedCode = blocks[1] };
            foreach (var d in GeneratorHarness.Run(blocks[0]).GeneratorDiagnostics)
            {
                var span = d.Location.GetLineSpan();
                test.TestState.ExpectedDiagnostics.Add(new DiagnosticResult(d.Id, d.Severity).WithSpan(
                    "/0/Test0.cs",
                    span.StartLinePosition.Line + 1,
                    span.StartLinePosition.Character + 1,
                    span.EndLinePosition.Line + 1,
                    span.EndLinePosition.Character + 1));
            }

            Assert.Contains(test.TestState.ExpectedDiagnostics, r => r.Id == id);
            return test.RunAsync();
        }
    }
}
