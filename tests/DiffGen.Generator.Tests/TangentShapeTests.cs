using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// A partial that is a number over something (log's 1/x, sqrt's ½/r) multiplies a tangent as a quotient, and a
    /// tangent that is itself a quotient joins it: the tangent of log(a/b) along v is (ȧ − t·ḃ)/(b·t), one division
    /// where (1/t)·((ȧ − t·ḃ)/b) took three. The tangent is checked against the closed-form ∇f·v.
    /// </summary>
    public class TangentShapeTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Shape
            {
                public static partial class M
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                    public static double LogRatio(double a, double b, double c) => c * Math.Log(a / b) + Math.Sqrt(b);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));
        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        [Theory]
        [InlineData(2.0, 0.5, 1.5, 0.3, -0.7, 1.1)]
        [InlineData(0.1, 3.0, -2.0, 1.0, 0.0, 0.0)]
        [InlineData(5.0, 5.0, 0.25, -0.4, 0.9, 2.0)]
        public void The_tangent_of_a_log_of_a_quotient_is_the_gradient_along_v(double a, double b, double c, double va, double vb, double vc)
        {
            var args = new object[] { a, b, c, va, vb, vc, 0.0 };
            double value = (double)s_model.Value.Invoke("Shape.M", "LogRatioTangent", args)!;
            double expected = (c / a * va) + (((-c / b) + (0.5 / Math.Sqrt(b))) * vb) + (Math.Log(a / b) * vc);
            Numeric.Exact((c * Math.Log(a / b)) + Math.Sqrt(b), value, "value");
            Numeric.Exact(expected, (double)args[6], "tangent");
        }

        [Fact]
        public void The_tangent_divides_once_per_quotient_in_the_source()
        {
            string code = s_run.Value.Source("M.LogRatio.g.cs");
            int start = code.IndexOf("double LogRatioTangent(", StringComparison.Ordinal);
            string line = code.Substring(start).Split('\n').First(l => l.Contains("double resultDot = ", StringComparison.Ordinal));

            // a / b in the method itself, then one division for the log's tangent and one for the square root's.
            Assert.Equal(2, line.Count(ch => ch == '/'));
            Assert.Contains("/ (b * t)", line, StringComparison.Ordinal);
        }
    }
}
