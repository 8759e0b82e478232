@allure.label.epic:Projects
Feature: Finding projects, cuts and tasks
  A signed-in person finds projects, cuts and tasks by the words of their titles, typing only the
  start of a word ("harb" finds "Harbour Lights"). What is new or renamed is found at once, what is
  deleted never, and nobody finds anything of another organisation's.

  Background:
    Given Brightside Agency has the project "Harbour Lights" with the cut "Harbour teaser" and Theo's task "Harbour recce"

  Rule: People find what they may see by the start of the words of its title, at once, and never what is deleted or another organisation's

    @allure.severity:critical
    Scenario Outline: Theo looks for "<words>"
      Given Theo is signed in
      When Theo looks for "<words>"
      Then Theo finds exactly <found>

      Examples:
        | words       | found                                                                          |
        | harb        | the project "Harbour Lights", the cut "Harbour teaser" and the task "Harbour recce" |
        | LIGHTS      | the project "Harbour Lights"                                                    |
        | harb rec    | the task "Harbour recce"                                                        |
        | arbour      | nothing                                                                         |

    Scenario: A renamed project is found by its new name at once, and no longer by its old one
      Given Bea has renamed the project to "Tidewater"
      When Theo looks for "tide"
      Then Theo finds exactly the project "Tidewater"
      And looking for "lights" finds Theo nothing

    Scenario: A new task is found at once
      Given Pia has just added the task "Drone permits"
      When Theo looks for "drone"
      Then Theo finds exactly the task "Drone permits"

    @negative
    Scenario Outline: A deleted <thing> is never found
      Given Theo has deleted <what>
      When Theo looks for "harb"
      Then Theo finds exactly <left>

      Examples:
        | thing   | what                      | left                                                   |
        | task    | the task "Harbour recce"  | the project "Harbour Lights" and the cut "Harbour teaser" |
        | cut     | the cut "Harbour teaser"  | the project "Harbour Lights" and the task "Harbour recce" |
        | project | the project               | nothing                                                |

    @local
    Scenario: Ada, at the studio, finds the work of every agency
      Given Ada is signed in
      When Ada looks for "harb"
      Then Ada finds exactly the project "Harbour Lights", the cut "Harbour teaser" and the task "Harbour recce"

    @negative @security
    Scenario Outline: <person> finds nothing of Brightside's
      Given Lumen Creative has the project "Harbour Nights"
      And <person> is signed in
      When <person> looks for "harb"
      Then <person> finds exactly <found>

      Examples:
        | person  | found                         |
        | Mallory | the project "Harbour Nights"  |
        | Lena    | the project "Harbour Nights"  |
        | Gina    | nothing                       |

    @negative @security
    Scenario Outline: Search words that look like query syntax are only words: "<words>"
      Given Theo is signed in
      When Theo looks for "<words>"
      Then Theo finds exactly <found>

      Examples:
        | words              | found                        |
        | harb:* \| !lights  | the project "Harbour Lights" |
        | ' & ( )            | nothing                      |
