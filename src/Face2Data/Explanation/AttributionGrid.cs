namespace Face2Data.Explanation;

/// <summary>
/// The grid attributions are reported on: a square input of <c>size</c> pixels cut into <c>grid × grid</c> cells.
/// Along each axis cell <c>c</c> covers pixels <c>[c·size/grid, (c+1)·size/grid)</c> (rounded down), so cells
/// differ by at most one pixel when the size is not a multiple of the grid.
/// </summary>
public static class AttributionGrid
{
    /// <summary>Fewest cells per side.</summary>
    public const int MinCells = 2;

    /// <summary>Most cells per side (KernelSHAP solves a system with one unknown per cell).</summary>
    public const int MaxCells = 16;

    /// <summary>First pixel of cell <paramref name="cell"/> along an axis; <paramref name="cell"/> = grid gives the axis's end.</summary>
    public static int CellStart(int size, int grid, int cell)
    {
        Check(size, grid);
        ArgumentOutOfRangeException.ThrowIfNegative(cell);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cell, grid);
        return (int)((long)cell * size / grid);
    }

    /// <summary>The cell holding pixel <paramref name="pixel"/> along an axis.</summary>
    public static int CellOf(int size, int grid, int pixel)
    {
        Check(size, grid);
        ArgumentOutOfRangeException.ThrowIfNegative(pixel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pixel, size);
        return Cell(size, grid, pixel);
    }

    /// <summary>The mean of a per-pixel map (row-major <c>size × size</c>) over each cell, row-major <c>grid × grid</c>.</summary>
    public static float[] Aggregate(ReadOnlySpan<double> pixels, int size, int grid)
    {
        Check(size, grid);
        if (pixels.Length != size * size)
        {
            throw new ArgumentException($"Expected {size} × {size} = {size * size} pixel values, got {pixels.Length}.", nameof(pixels));
        }

        var cellOf = CellsOf(size, grid);
        var sums = new double[grid * grid];
        var counts = new int[grid * grid];
        for (var y = 0; y < size; y++)
        {
            var row = cellOf[y] * grid;
            for (var x = 0; x < size; x++)
            {
                var cell = row + cellOf[x];
                sums[cell] += pixels[(y * size) + x];
                counts[cell]++;
            }
        }

        var cells = new float[grid * grid];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = (float)(sums[i] / counts[i]);
        }

        return cells;
    }

    /// <summary>
    /// Writes the pixel mask of a coalition of cells: pixels of the cells where <paramref name="cells"/> is true are
    /// true (kept), the others false.
    /// </summary>
    public static void Expand(ReadOnlySpan<bool> cells, int size, int grid, Span<bool> pixels)
    {
        Check(size, grid);
        if (cells.Length != grid * grid || pixels.Length != size * size)
        {
            throw new ArgumentException($"Expected {grid * grid} cells and {size * size} pixels, got {cells.Length} and {pixels.Length}.");
        }

        var cellOf = CellsOf(size, grid);
        for (var y = 0; y < size; y++)
        {
            var row = cellOf[y] * grid;
            for (var x = 0; x < size; x++)
            {
                pixels[(y * size) + x] = cells[row + cellOf[x]];
            }
        }
    }

    /// <summary>Checks that a grid fits an input: between <see cref="MinCells"/> and <see cref="MaxCells"/> cells per side, each at least one pixel.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It does not.</exception>
    public static void Check(int size, int grid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (grid < MinCells || grid > MaxCells || grid > size)
        {
            throw new ArgumentOutOfRangeException(nameof(grid), grid, $"The grid must have {MinCells} to {Math.Min(MaxCells, size)} cells per side for a {size} px input.");
        }
    }

    private static int[] CellsOf(int size, int grid)
    {
        var cells = new int[size];
        for (var p = 0; p < size; p++)
        {
            cells[p] = Cell(size, grid, p);
        }

        return cells;
    }

    // The largest c with c·size/grid ≤ pixel.
    private static int Cell(int size, int grid, int pixel) => (int)((((long)pixel + 1) * grid - 1) / size);
}
