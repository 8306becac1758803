using System;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// FHessianVector is reverse mode over the tangent program, where the adjoint of a tangent ṙ is the gradient's
    /// adjoint of r and the adjoint of r is the tangent of that. The generated locals are named for what they hold,
    /// as in FGradient: <c>dResidual</c> = ∂f/∂r and <c>dResidualDot</c> its tangent, not the other way round. The
    /// values are checked against the closed forms: for f = (w·x + b − y)², ∇f = 2r·(x, 1) and H·v = 2(x·v_w + v_b)·(x, 1).
    /// </summary>
    public class HessianVectorNamingTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Naming
            {
                public static partial class M
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double Loss(double w, double b, [NoDiff] double x, [NoDiff] double y)
                    {
                        double residual = w * x + b - y;
                        return residual * residual;
                    }
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));
        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        [Fact]
        public void The_gradient_adjoint_of_a_local_keeps_its_name_and_its_tangent_is_the_Dot()
        {
            string code = s_run.Value.Source("M.Loss.g.cs");
            string body = code.Substring(code.IndexOf("double LossHessianVector(", StringComparison.Ordinal));
            Assert.Contains("double dResidual = 2.0 * seed * residual;", body, StringComparison.Ordinal);
            Assert.Contains("double dResidualDot = 2.0 * seed * residualDot;", body, StringComparison.Ordinal);
            Assert.Contains("dB += dResidual;", body, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(0.7, -0.2, 1.5, 0.4, 0.3, -1.1)]
        [InlineData(-2.0, 1.0, 0.25, 3.0, 1.0, 0.0)]
        public void The_values_are_the_closed_forms(double w, double b, double x, double y, double vw, double vb)
        {
            var args = new object[] { w, b, x, y, vw, vb, 0.0, 0.0, 0.0, 0.0 };
            double value = (double)s_model.Value.Invoke("Naming.M", "LossHessianVector", args)!;
            double r = (w * x) + b - y;
            double rDot = (x * vw) + vb;
            Numeric.Exact(r * r, value, "value");
            Numeric.Exact(2 * r * x, (double)args[6], "dW");
            Numeric.Exact(2 * r, (double)args[7], "dB");
            Numeric.Exact(2 * rDot * x, (double)args[8], "hvW");
            Numeric.Exact(2 * rDot, (double)args[9], "hvB");
        }
    }
}
