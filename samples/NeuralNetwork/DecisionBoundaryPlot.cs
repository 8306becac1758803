using System;
using System.Collections.Generic;
using ScottPlot;

namespace DiffGen.Samples.NeuralNetwork
{
    /// <summary>Draws the network's P(class 1) over the plane with the held-out points on top, and the training loss.</summary>
    public static class DecisionBoundaryPlot
    {
        /// <summary>The PNG's width in pixels.</summary>
        public const int Width = 1400;

        /// <summary>The PNG's height in pixels.</summary>
        public const int Height = 600;

        private const double XMin = -2.2;
        private const double XMax = 2.2;
        private const double YMin = -1.4;
        private const double YMax = 1.4;

        /// <summary>Renders the two panels and saves them as a PNG.</summary>
        /// <param name="parameters">The trained network.</param>
        /// <param name="test">The held-out points to draw.</param>
        /// <param name="testAccuracy">The accuracy on them, for the title.</param>
        /// <param name="epochLoss">The mean loss of each epoch.</param>
        /// <param name="path">The PNG file to write.</param>
        public static void Save(double[] parameters, TwoMoons test, double testAccuracy, double[] epochLoss, string path)
        {
            var multiplot = new Multiplot();
            multiplot.AddPlots(2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
            DrawBoundary(multiplot.GetPlot(0), parameters, test, testAccuracy);
            DrawLoss(multiplot.GetPlot(1), epochLoss);
            multiplot.SavePng(path, Width, Height);
        }

        private static void DrawBoundary(Plot plot, double[] parameters, TwoMoons test, double testAccuracy)
        {
            const int columns = 220;
            const int rows = 140;
            var probability = new double[rows, columns];
            for (int r = 0; r < rows; r++)
            {
                // Row 0 is drawn at the top of the heatmap.
                double y = YMax - ((YMax - YMin) * (r + 0.5) / rows);
                for (int c = 0; c < columns; c++)
                {
                    double x = XMin + ((XMax - XMin) * (c + 0.5) / columns);
                    probability[r, c] = Mlp.Probability(parameters, x, y);
                }
            }

            var heatmap = plot.Add.Heatmap(probability);
            heatmap.Extent = new CoordinateRect(XMin, XMax, YMin, YMax);
            heatmap.Colormap = new ScottPlot.Colormaps.Balance();
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            heatmap.Opacity = 0.45;
            plot.Add.ColorBar(heatmap);

            var x0 = new List<double>[2] { new(), new() };
            var x1 = new List<double>[2] { new(), new() };
            var wrongX = new List<double>();
            var wrongY = new List<double>();
            for (int i = 0; i < test.Count; i++)
            {
                int label = (int)test.Labels[i];
                x0[label].Add(test.X0[i]);
                x1[label].Add(test.X1[i]);
                bool predicted = Mlp.Logit(parameters, test.X0[i], test.X1[i]) > 0;
                if (predicted != (label == 1))
                {
                    wrongX.Add(test.X0[i]);
                    wrongY.Add(test.X1[i]);
                }
            }

            var class0 = plot.Add.Markers(x0[0].ToArray(), x1[0].ToArray(), MarkerShape.FilledCircle, 5, Colors.Navy);
            class0.LegendText = "class 0 (held out)";
            var class1 = plot.Add.Markers(x0[1].ToArray(), x1[1].ToArray(), MarkerShape.FilledCircle, 5, Colors.DarkRed);
            class1.LegendText = "class 1 (held out)";
            if (wrongX.Count > 0)
            {
                var wrong = plot.Add.Markers(wrongX.ToArray(), wrongY.ToArray(), MarkerShape.OpenCircle, 12, Colors.Black);
                wrong.LegendText = "misclassified";
            }

            plot.Axes.SetLimits(XMin, XMax, YMin, YMax);
            plot.Title(string.Format(System.Globalization.CultureInfo.InvariantCulture, "P(class 1) and held-out points: {0:P1} correct", testAccuracy));
            plot.XLabel("x₀");
            plot.YLabel("x₁");
            plot.ShowLegend(Alignment.LowerLeft);
        }

        private static void DrawLoss(Plot plot, double[] epochLoss)
        {
            var epochs = new double[epochLoss.Length];
            for (int i = 0; i < epochs.Length; i++)
            {
                epochs[i] = i + 1;
            }

            var line = plot.Add.ScatterLine(epochs, epochLoss, Colors.OrangeRed);
            line.LineWidth = 2;
            double highest = 0;
            foreach (double loss in epochLoss)
            {
                highest = Math.Max(highest, loss);
            }

            plot.Axes.SetLimitsY(0, highest * 1.05);
            plot.Title("Training loss (binary cross-entropy)");
            plot.XLabel("epoch");
            plot.YLabel("mean loss");
        }
    }
}
