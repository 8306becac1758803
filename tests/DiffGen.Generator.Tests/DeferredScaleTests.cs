using System;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// A shared adjoint that is a power of two times the rest leaves the factor out of its name when every use folds
    /// it into a constant of its own: the adjoint of the sum under <c>Math.Sqrt(x*x + y*y)</c> is named dV/r, not
    /// 0.5·dV/r, and each square's 2 cancels the ½ (docs/reverse-sweep.md, rule 17). The gradients are checked against
    /// closed forms; the Hessian-vector product, which differentiates the reverse sweep, against finite differences of
    /// the gradient.
    /// </summary>
    public class DeferredScaleTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Scale
            {
                public static partial class M
                {
                    // The Euclidean norm: the square root's ½ and the squares' 2 cancel.
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double Norm(double x, double y, double z) => Math.Sqrt(x * x + y * y + z * z);

                    // A square root of a sum whose terms are not squares: the ½ stays in the named adjoint.
                    [Differentiable]
                    public static double RootOfProduct(double a, double b, double c) => Math.Sqrt(a * b + c);

                    // One square, one plain term: the plain term would pay the ½ at its use, so nothing is deferred.
                    [Differentiable]
                    public static double RootOfMixed(double a, double b) => Math.Sqrt(a * a + b);

                    // In single precision the same.
                    [Differentiable]
                    public static float NormF(float x, float y) => MathF.Sqrt(x * x + y * y);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));
        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        private const string T = "Scale.M";

        [Theory]
        [InlineData(3.0, -4.0, 12.0)]
        [InlineData(0.25, 1e-3, -7.5)]
        public void The_norm_has_no_scale_factors_and_its_gradient_is_x_over_r(double x, double y, double z)
        {
            s_model.Value.Check(T, "Norm", new[] { x, y, z }, p =>
            {
                double r = Math.Sqrt((p[0] * p[0]) + (p[1] * p[1]) + (p[2] * p[2]));
                return new[] { p[0] / r, p[1] / r, p[2] / r };
            });

            string gradient = s_run.Value.Gradient("M.Norm.g.cs", "Norm");
            Assert.DoesNotContain("0.5 *", gradient, StringComparison.Ordinal);
            Assert.DoesNotContain("2.0 *", gradient, StringComparison.Ordinal);
        }

        [Fact]
        public void The_norms_Hessian_vector_product_matches_differences_of_its_gradient()
        {
            double[] p = { 0.6, -1.1, 2.3 };
            double[] v = { 0.3, 0.8, -0.5 };
            var args = new object[] { p[0], p[1], p[2], v[0], v[1], v[2], 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
            s_model.Value.Invoke(T, "NormHessianVector", args);

            // Closed form: H = (I − x̂x̂ᵀ)/r, so H·v = (v − x̂(x̂·v))/r.
            double r = Math.Sqrt((p[0] * p[0]) + (p[1] * p[1]) + (p[2] * p[2]));
            double along = ((p[0] * v[0]) + (p[1] * v[1]) + (p[2] * v[2])) / r;
            for (int i = 0; i < 3; i++)
            {
                Numeric.Exact(p[i] / r, (double)args[6 + i], "gradient " + i);
                Numeric.Exact((v[i] - (p[i] / r * along)) / r, (double)args[9 + i], "H·v " + i);
            }
        }

        [Fact]
        public void A_square_root_of_other_terms_keeps_its_half()
        {
            s_model.Value.Check(T, "RootOfProduct", new[] { 1.5, 2.0, 0.75 }, p =>
            {
                double twiceR = 2 * Math.Sqrt((p[0] * p[1]) + p[2]);
                return new[] { p[1] / twiceR, p[0] / twiceR, 1 / twiceR };
            });
            s_model.Value.Check(T, "RootOfMixed", new[] { 1.5, 0.75 }, p =>
            {
                double twiceR = 2 * Math.Sqrt((p[0] * p[0]) + p[1]);
                return new[] { 2 * p[0] / twiceR, 1 / twiceR };
            });

            Assert.Matches(@"double dT\w* = 0\.5 [*/] ", s_run.Value.Gradient("M.RootOfProduct.g.cs", "RootOfProduct"));
            Assert.Matches(@"double dT\w* = 0\.5 [*/] ", s_run.Value.Gradient("M.RootOfMixed.g.cs", "RootOfMixed"));
        }

        [Fact]
        public void The_float_norm_folds_the_same_way()
        {
            s_model.Value.CheckFloat(T, "NormF", new[] { 3.0, -4.0 }, p =>
            {
                double r = Math.Sqrt((p[0] * p[0]) + (p[1] * p[1]));
                return new[] { p[0] / r, p[1] / r };
            });
            string gradient = s_run.Value.Source("M.NormF.g.cs");
            Assert.DoesNotContain("0.5f *", gradient, StringComparison.Ordinal);
            Assert.DoesNotContain("2f *", gradient, StringComparison.Ordinal);
        }
    }
}
