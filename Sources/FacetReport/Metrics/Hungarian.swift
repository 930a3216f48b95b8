/// Optimal one-to-one assignment (Kuhn-Munkres / Hungarian algorithm with potentials), O(n²·m).
enum Hungarian {
    /// For a `rows × columns` cost matrix, the column assigned to each row minimising the total cost.
    ///
    /// With more rows than columns the matrix is transposed, so every column gets a row and
    /// the unmatched rows map to `nil`. Costs must be finite.
    static func minimumCostAssignment(_ cost: [[Double]]) -> [Int?] {
        let n = cost.count
        guard n > 0, let m = cost.first?.count, m > 0 else { return Array(repeating: nil, count: n) }
        if n > m {
            let transposed = (0..<m).map { j in (0..<n).map { i in cost[i][j] } }
            var rowOf = [Int?](repeating: nil, count: n)
            for (j, i) in minimumCostAssignment(transposed).enumerated() { if let i { rowOf[i] = j } }
            return rowOf
        }
        // 1-based arrays as in the classic formulation; index 0 is the virtual start row/column.
        var u = [Double](repeating: 0, count: n + 1)
        var v = [Double](repeating: 0, count: m + 1)
        var rowOfColumn = [Int](repeating: 0, count: m + 1)
        var way = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            rowOfColumn[0] = i
            var j0 = 0
            var minSlack = [Double](repeating: .infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[j0] = true
                let i0 = rowOfColumn[j0]
                var delta = Double.infinity
                var j1 = 0
                for j in 1...m where !used[j] {
                    let slack = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if slack < minSlack[j] {
                        minSlack[j] = slack
                        way[j] = j0
                    }
                    if minSlack[j] < delta {
                        delta = minSlack[j]
                        j1 = j
                    }
                }
                for j in 0...m {
                    if used[j] {
                        u[rowOfColumn[j]] += delta
                        v[j] -= delta
                    } else {
                        minSlack[j] -= delta
                    }
                }
                j0 = j1
            } while rowOfColumn[j0] != 0
            // Walk the augmenting path back to the start, flipping assignments.
            repeat {
                let j1 = way[j0]
                rowOfColumn[j0] = rowOfColumn[j1]
                j0 = j1
            } while j0 != 0
        }
        var columnOfRow = [Int?](repeating: nil, count: n)
        for j in 1...m where rowOfColumn[j] != 0 { columnOfRow[rowOfColumn[j] - 1] = j - 1 }
        return columnOfRow
    }
}
