//! A schema under construction, as the trials' generators edit it: models and enums as lines
//! of `schema.prisma`, edited by field name, rendered with a datasource that reads
//! `env("DATABASE_URL")`.

use planner::Provider;

#[derive(Debug, Clone, Default)]
pub struct Block {
    pub keyword: &'static str,
    pub name: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SchemaText {
    blocks: Vec<Block>,
}

/// The first word of a line: the field or enum value it defines, or `@@index` and the like.
fn first_word(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

impl SchemaText {
    pub fn model(&mut self, name: &str, lines: &[&str]) -> &mut Self {
        self.blocks.push(Block {
            keyword: "model",
            name: name.to_string(),
            lines: lines.iter().map(|line| line.to_string()).collect(),
        });
        self
    }

    pub fn enumeration(&mut self, name: &str, lines: &[&str]) -> &mut Self {
        self.blocks.push(Block {
            keyword: "enum",
            name: name.to_string(),
            lines: lines.iter().map(|line| line.to_string()).collect(),
        });
        self
    }

    pub fn remove_block(&mut self, name: &str) -> &mut Self {
        self.blocks.retain(|block| block.name != name);
        self
    }

    fn block(&mut self, name: &str) -> &mut Block {
        self.blocks
            .iter_mut()
            .find(|block| block.name == name)
            .unwrap_or_else(|| panic!("no block {name}"))
    }

    /// Adds a line at the end of a block.
    pub fn add(&mut self, block: &str, line: &str) -> &mut Self {
        self.block(block).lines.push(line.to_string());
        self
    }

    /// Replaces the line whose first word is `word` (a field, an enum value).
    pub fn replace(&mut self, block: &str, word: &str, line: &str) -> &mut Self {
        let block = self.block(block);
        let position = block
            .lines
            .iter()
            .position(|existing| first_word(existing) == word)
            .unwrap_or_else(|| panic!("no line {word} in {}", block.name));
        block.lines[position] = line.to_string();
        self
    }

    /// Replaces the exact line `old`.
    pub fn replace_line(&mut self, block: &str, old: &str, line: &str) -> &mut Self {
        let block = self.block(block);
        let position = block
            .lines
            .iter()
            .position(|existing| existing == old)
            .unwrap_or_else(|| panic!("no line {old:?} in {}", block.name));
        block.lines[position] = line.to_string();
        self
    }

    /// Removes the line whose first word is `word`, or the exact line `word`.
    pub fn remove(&mut self, block: &str, word: &str) -> &mut Self {
        let block = self.block(block);
        let before = block.lines.len();
        block
            .lines
            .retain(|existing| first_word(existing) != word && existing != word);
        assert!(
            block.lines.len() < before,
            "no line {word} in {}",
            block.name
        );
        self
    }

    pub fn render(&self, provider: Provider) -> String {
        let mut text = format!(
            "datasource db {{\n  provider = \"{}\"\n  url      = env(\"DATABASE_URL\")\n}}\n",
            provider.as_str()
        );
        for block in &self.blocks {
            text.push_str(&format!("\n{} {} {{\n", block.keyword, block.name));
            for line in &block.lines {
                text.push_str(&format!("  {line}\n"));
            }
            text.push_str("}\n");
        }
        text
    }
}
