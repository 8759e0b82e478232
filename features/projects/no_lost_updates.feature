@allure.label.epic:Projects
Feature: Two people editing the same work never overwrite each other
  Every milestone and task carries a version that moves on with each change. A change says which
  version it was made to (the one its author read); if the record has changed since, the change is
  refused, nothing is overwritten, and the author is told which version it is at now. A change that
  does not say which version it was made to is refused too.

  Background:
    Given Brightside Agency has the project "Harbour Lights" with the milestone "Shoot" and Theo's task "Book the drone"

  Rule: A change must name the version it was made to; a change to a version that has moved on is refused and changes nothing

    Scenario: Theo changes the task he has just read
      Given Theo has read the task
      When Theo renames the task to "Book the drone and its pilot"
      Then Pia sees the task "Book the drone and its pilot", one version on

    @negative @allure.severity:critical
    Scenario: Pia's change to a version Theo has since changed is refused, and Theo's change stands
      Given Theo and Pia have both read the task
      And Theo has since renamed it to "Book the drone and its pilot"
      When Pia renames the task she read to "Book a helicopter"
      Then Pia is told the task has changed since she read it, and which version it is at now
      And Pia sees the task "Book the drone and its pilot", one version on

    @negative
    Scenario: Pia's completion of a milestone Theo has since renamed is refused
      Given Theo and Pia have both read the milestone "Shoot"
      And Theo has since renamed the milestone to "Shoot day"
      When Pia completes the milestone she read
      Then Pia is told the milestone has changed since she read it, and which version it is at now
      And Theo sees the milestone "Shoot day" as planned

    @negative
    Scenario Outline: Pia cannot <change> without saying which version she read
      When Pia tries to <change> without saying which version she read
      Then Pia is told to say which version she read
      And Theo finds the project's work as it was

      Examples:
        | change               |
        | change the task      |
        | complete the task    |
        | delete the task      |
        | rename the milestone |
        | delete the milestone |

    @negative
    Scenario Outline: Pia's change naming a version the portal never gives out, <tag>, is refused and changes nothing
      When Pia renames the task to "Book a helicopter", saying she read the version <tag>
      Then Pia is told the task is not at the version she named, and that it is at version 1
      And Theo finds the project's work as it was

      Examples:
        | tag   |
        | W/"1" |
        | 1     |
        | "0"   |
        | "one" |

    @concurrency @allure.severity:critical
    Scenario: Two producers change the same task at the same moment: exactly one change stands
      Given Theo and Pia have both read the task
      When Theo and Pia rename the task at the same moment
      Then exactly one of them is told the task has changed since they read it
      And the task carries the title of the one whose change stood, one version on
