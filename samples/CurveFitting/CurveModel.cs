using System;

namespace DiffGen.Samples.CurveFitting
{
    public static partial class CurveModel
    {
        [Differentiable]
        public static double Loss(ReadOnlySpan<double> c, [NoDiff] ReadOnlySpan<double> xs, [NoDiff] ReadOnlySpan<double> ys)
        {
            double sum = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                double x = xs[i];
                double prediction = c[0] + x * (c[1] + x * (c[2] + x * c[3]));
                double error = prediction - ys[i];
                sum += error * error;
            }

            return sum / xs.Length;
        }
    }
}
