public import PharosCore
